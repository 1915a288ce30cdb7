package io.objstate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Test access to {@link FieldAccessors} from other packages: the general codec behind a generated one. */
public final class FieldAccessorsTesting {
    private FieldAccessorsTesting() {
    }

    /** The VarHandle codec a generated codec was made from (its superclass, through the same copy constructor). */
    public static FieldCodec general(FieldCodec codec) {
        if (!FieldAccessors.generated(codec)) {
            return codec;
        }
        Class<?> sup = codec.getClass().getSuperclass();
        try {
            return (FieldCodec) sup.getDeclaredConstructor(sup).newInstance(codec);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** {@link FieldAccessors#accelerate(FieldCodec, VarHandle, MethodHandles.Lookup)} of the general codec. */
    public static FieldCodec accelerateWith(FieldCodec codec, VarHandle vh, MethodHandles.Lookup definer) {
        return FieldAccessors.accelerate(general(codec), vh, definer);
    }
}
