package io.objstate.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.objstate.nativestore.OffHeapBuffer;
import java.io.IOException;
import java.lang.invoke.VarHandle;

/**
 * Any field without a fixed wire form: JSON written by the shared mapper ({@code JSON} tag), with a reader
 * and writer prebuilt for the field's generic type, written straight into the off-heap buffer.
 */
final class JsonCodec extends FieldCodec {
    private final VarHandle vh;
    private final ObjectMapper mapper;
    private final JavaType type;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final String describe;

    JsonCodec(VarHandle vh, ObjectMapper mapper, JavaType type) {
        this.vh = vh;
        this.mapper = mapper;
        this.type = type;
        this.describe = "json " + simpleName(type);
        JsonTypeCheck.check(mapper, type);
        this.writer = mapper.writerFor(type);
        this.reader = mapper.readerFor(type);
    }

    @Override
    public void encode(Object owner, OffHeapBuffer out) {
        Object value = vh.get(owner);
        if (value == null) {
            out.putByte(WireType.NULL);
            return;
        }
        long start = out.position();
        try {
            out.putByte(WireType.JSON);
            writer.writeValue(new OffHeapOutputStream(out), value);
        } catch (IOException | RuntimeException e) {
            out.position(start);   // leave nothing half-written
            if (e instanceof CodecException ce) {
                throw ce;
            }
            throw new CodecException("cannot write " + value.getClass().getName() + " as " + describe + ": "
                    + message(e), e);
        }
    }

    @Override
    public void decode(Object owner, byte[] bytes, int offset, int length) {
        byte tag = Wire.tag(bytes, offset, length);
        Object value;
        if (tag == WireType.JSON) {
            Wire.atLeast(tag, length, 1);
            try {
                value = reader.readValue(bytes, offset + 1, length - 1);
            } catch (IOException | RuntimeException e) {
                throw new CodecException("stored JSON does not fit " + describe + ": " + message(e), e);
            }
        } else if (tag == WireType.NULL) {
            Wire.exact(tag, length, 0);
            value = null;
        } else if (tag >= WireType.LIST && WireType.isKnown(tag)) {
            throw Wire.mismatch(tag, describe);   // a binary container: the field's type has no binary form now
        } else {
            Object natural;
            try {
                natural = Wire.readNatural(tag, bytes, offset, length);
            } catch (CodecException e) {
                throw e;
            } catch (RuntimeException e) {   // DateTimeException, ... from corrupt bytes
                throw new CodecException("corrupt " + WireType.describe(tag) + " value for a " + describe + " field: "
                        + e.getMessage(), e);
            }
            try {
                value = mapper.convertValue(natural, type);
            } catch (RuntimeException e) {
                throw new CodecException("stored as " + WireType.describe(tag) + ", field is " + describe + " ("
                        + message(e) + ")", e);
            }
        }
        vh.set(owner, value);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public String toString() {
        return "FieldCodec[" + describe + "]";
    }

    /** {@code List<Entry>}, {@code Map<String,List<Entry>>}, {@code int[]}: simple names, for messages. */
    static String simpleName(JavaType type) {
        if (type.isArrayType()) {
            return simpleName(type.getContentType()) + "[]";
        }
        StringBuilder sb = new StringBuilder(type.getRawClass().getSimpleName());
        int n = type.containedTypeCount();
        if (n > 0) {
            sb.append('<');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(simpleName(type.containedType(i)));
            }
            sb.append('>');
        }
        return sb.toString();
    }

    /** Jackson's message without its source excerpt, with the property path when it has one. */
    static String message(Throwable e) {
        if (e instanceof JsonMappingException jme) {
            String path = jme.getPathReference();
            return jme.getOriginalMessage() + (path == null || jme.getPath().isEmpty() ? "" : " (at " + path + ")");
        }
        if (e instanceof JsonProcessingException jpe) {
            return jpe.getOriginalMessage();
        }
        if (e instanceof IllegalArgumentException && e.getCause() != null) {
            return message(e.getCause());   // convertValue wraps the real problem
        }
        return String.valueOf(e.getMessage());
    }
}
