package io.objstate.internal.codec;

import io.objstate.nativestore.OffHeapBuffer;
import java.lang.invoke.VarHandle;

/**
 * Codecs for primitive fields: they move values between the field (through its {@link VarHandle}) and the
 * buffer without boxing. A stored {@code NULL} sets the Java default (WIRE.md: "NULL into a primitive").
 */
final class PrimitiveCodecs {
    private PrimitiveCodecs() {
    }

    static FieldCodec forType(Class<?> type, VarHandle vh) {
        if (type == long.class) {
            return new LongCodec(vh);
        } else if (type == int.class) {
            return new IntCodec(vh);
        } else if (type == boolean.class) {
            return new BooleanCodec(vh);
        } else if (type == double.class) {
            return new DoubleCodec(vh);
        } else if (type == float.class) {
            return new FloatCodec(vh);
        } else if (type == short.class) {
            return new ShortCodec(vh);
        } else if (type == byte.class) {
            return new ByteCodec(vh);
        } else if (type == char.class) {
            return new CharCodec(vh);
        }
        throw new IllegalArgumentException("not a primitive: " + type);
    }

    private abstract static class Base extends FieldCodec {
        final VarHandle vh;
        private final String describe;

        Base(VarHandle vh, String describe) {
            this.vh = vh;
            this.describe = describe;
        }

        @Override
        public final void decode(Object owner, byte[] bytes, int offset, int length) {
            byte tag = Wire.tag(bytes, offset, length);
            if (tag == WireType.NULL) {
                Wire.exact(tag, length, 0);
                setDefault(owner);
            } else {
                read(owner, tag, bytes, offset, length);
            }
        }

        abstract void setDefault(Object owner);

        abstract void read(Object owner, byte tag, byte[] b, int off, int len);

        @Override
        public final String describe() {
            return describe;
        }

        /** One encoding per value, and {@code unchanged} compares with exactly that encoding (NaNs canonical). */
        @Override
        public final boolean unchangedDecides() {
            return true;
        }

        @Override
        public String toString() {
            return "FieldCodec[" + describe + "]";
        }
    }

    static class BooleanCodec extends Base {
        BooleanCodec(VarHandle vh) {
            super(vh, "boolean");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        BooleanCodec(BooleanCodec prototype) {
            super(prototype.vh, "boolean");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        boolean get(Object owner) {
            return (boolean) vh.get(owner);
        }

        void set(Object owner, boolean v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            boolean v = get(owner);
            return n == 2 && e[o] == WireType.BOOLEAN && e[o + 1] == (v ? (byte) 1 : (byte) 0);
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            boolean v = get(owner);
            out.ensureRemaining(2);
            out.putByte(WireType.BOOLEAN);
            out.putByte(v ? (byte) 1 : (byte) 0);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            boolean v = Wire.readBoolean(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, false);
        }
    }

    static class ByteCodec extends Base {
        ByteCodec(VarHandle vh) {
            super(vh, "byte");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        ByteCodec(ByteCodec prototype) {
            super(prototype.vh, "byte");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        byte get(Object owner) {
            return (byte) vh.get(owner);
        }

        void set(Object owner, byte v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            byte v = get(owner);
            return n == 2 && e[o] == WireType.BYTE && e[o + 1] == v;
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            byte v = get(owner);
            out.ensureRemaining(2);
            out.putByte(WireType.BYTE);
            out.putByte(v);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            byte v = Wire.readByte(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, (byte) 0);
        }
    }

    static class ShortCodec extends Base {
        ShortCodec(VarHandle vh) {
            super(vh, "short");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        ShortCodec(ShortCodec prototype) {
            super(prototype.vh, "short");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        short get(Object owner) {
            return (short) vh.get(owner);
        }

        void set(Object owner, short v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            short v = get(owner);
            return n == 3 && e[o] == WireType.SHORT && Wire.getShort(e, o + 1) == v;
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            short v = get(owner);
            out.ensureRemaining(3);
            out.putByte(WireType.SHORT);
            out.putShort(v);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            short v = Wire.readShort(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, (short) 0);
        }
    }

    static class CharCodec extends Base {
        CharCodec(VarHandle vh) {
            super(vh, "char");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        CharCodec(CharCodec prototype) {
            super(prototype.vh, "char");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        char get(Object owner) {
            return (char) vh.get(owner);
        }

        void set(Object owner, char v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            char v = get(owner);
            return n == 3 && e[o] == WireType.CHAR && Wire.getChar(e, o + 1) == v;
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            char v = get(owner);
            out.ensureRemaining(3);
            out.putByte(WireType.CHAR);
            out.putChar(v);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            char v = Wire.readChar(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, (char) 0);
        }
    }

    static class IntCodec extends Base {
        IntCodec(VarHandle vh) {
            super(vh, "int");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        IntCodec(IntCodec prototype) {
            super(prototype.vh, "int");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        int get(Object owner) {
            return (int) vh.get(owner);
        }

        void set(Object owner, int v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            int v = get(owner);
            return n == 5 && e[o] == WireType.INT && Wire.getInt(e, o + 1) == v;
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            int v = get(owner);
            out.ensureRemaining(5);
            out.putByte(WireType.INT);
            out.putInt(v);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            int v = Wire.readInt(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, 0);
        }
    }

    static class LongCodec extends Base {
        LongCodec(VarHandle vh) {
            super(vh, "long");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        LongCodec(LongCodec prototype) {
            super(prototype.vh, "long");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        long get(Object owner) {
            return (long) vh.get(owner);
        }

        void set(Object owner, long v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            long v = get(owner);
            return n == 9 && e[o] == WireType.LONG && Wire.getLong(e, o + 1) == v;
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            long v = get(owner);
            out.ensureRemaining(9);
            out.putByte(WireType.LONG);
            out.putLong(v);
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            long v = Wire.readLong(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, 0L);
        }
    }

    static class FloatCodec extends Base {
        FloatCodec(VarHandle vh) {
            super(vh, "float");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        FloatCodec(FloatCodec prototype) {
            super(prototype.vh, "float");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        float get(Object owner) {
            return (float) vh.get(owner);
        }

        void set(Object owner, float v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            float v = get(owner);
            return n == 5 && e[o] == WireType.FLOAT && Wire.getInt(e, o + 1) == Float.floatToIntBits(v);
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            float v = get(owner);
            out.ensureRemaining(5);
            out.putByte(WireType.FLOAT);
            out.putInt(Float.floatToIntBits(v));   // canonical NaN: equal values, equal bytes
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            float v = Wire.readFloat(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, 0f);
        }
    }

    static class DoubleCodec extends Base {
        DoubleCodec(VarHandle vh) {
            super(vh, "double");
        }

        /** For a generated subclass ({@link FieldAccessors}): the same codec, its accessors overridden. */
        DoubleCodec(DoubleCodec prototype) {
            super(prototype.vh, "double");
        }

        /** The field's value; a generated subclass reads it through a constant VarHandle. */
        double get(Object owner) {
            return (double) vh.get(owner);
        }

        void set(Object owner, double v) {
            vh.set(owner, v);
        }

        @Override
        public boolean unchanged(Object owner, byte[] e, int o, int n) {
            double v = get(owner);
            return n == 9 && e[o] == WireType.DOUBLE && Wire.getLong(e, o + 1) == Double.doubleToLongBits(v);
        }

        @Override
        public void encode(Object owner, OffHeapBuffer out) {
            double v = get(owner);
            out.ensureRemaining(9);
            out.putByte(WireType.DOUBLE);
            out.putLong(Double.doubleToLongBits(v));   // canonical NaN
        }

        @Override
        void read(Object owner, byte tag, byte[] b, int off, int len) {
            double v = Wire.readDouble(tag, b, off, len, describe());
            set(owner, v);
        }

        @Override
        void setDefault(Object owner) {
            set(owner, 0d);
        }
    }
}
