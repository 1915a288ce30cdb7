package io.objstate.internal.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.util.Base64;

/**
 * Decodes one stored entry (sdk-api/WIRE.md) into a JSON value without the state class that wrote it: the
 * tag alone fixes the payload's layout, so tools (the {@code objstate} CLI) can show any store.
 *
 * <p>Mapping: {@code NULL} → null; {@code BOOLEAN} → boolean; the integer tags, {@code BIG_INTEGER} and
 * {@code BIG_DECIMAL} → numbers (exact); {@code FLOAT}/{@code DOUBLE} → numbers, except NaN and the
 * infinities, which JSON cannot hold, → the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"};
 * {@code CHAR}, the string tags, {@code ENUM} (constant name) and {@code REFERENCE} (object id) → string;
 * {@code BYTES} → base64 string; {@code UUID} and the {@code java.time} tags → their ISO-8601
 * {@code toString()}; {@code JSON} → the stored JSON value itself. The mapping loses the Java type (a
 * {@code long} and an {@code int} look alike), so {@link #tagName} names it, and tools that must
 * round-trip carry the raw bytes as well.
 *
 * <p>Every malformed value is a {@link CodecException} saying what is wrong with it.
 */
public final class WireJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Parses JSON-tagged payloads: exact numbers (1.10 stays 1.10), and trailing bytes after the value mean corruption.
    private static final ObjectMapper PARSER = new ObjectMapper()
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WireJson() {
    }

    /** The JSON value of one stored entry. */
    public static JsonNode decode(byte[] value) {
        byte tag = Wire.tag(value, 0, value == null ? 0 : value.length);
        int len = value.length;
        if (!WireType.isKnown(tag)) {
            throw new CodecException("stored value has an " + WireType.describe(tag));
        }
        try {
            return decodeRange(value, 0, len, 0);
        } catch (DateTimeException | ArithmeticException e) {
            throw new CodecException("corrupt " + WireType.describe(tag) + " value: " + e.getMessage(), e);
        }
    }

    /** Nested containers deeper than this are refused as corrupt (a value cannot nest this deep by itself). */
    private static final int MAX_DEPTH = 256;

    /** The JSON value of the encoding in {@code [from, to)}: a whole entry or one container element. */
    private static JsonNode decodeRange(byte[] b, int from, int to, int depth) {
        byte tag = Wire.tag(b, from, to - from);
        if (!WireType.isKnown(tag)) {
            throw new CodecException("stored value has an " + WireType.describe(tag));
        }
        if (tag == WireType.JSON) {
            return parseJson(java.util.Arrays.copyOfRange(b, from, to));
        }
        if (tag == WireType.LIST || tag == WireType.SET || tag == WireType.MAP || tag == WireType.RECORD) {
            if (depth >= MAX_DEPTH) {
                throw new CodecException("corrupt container: nested deeper than " + MAX_DEPTH);
            }
            return container(tag, b, from, to, depth + 1);
        }
        return toNode(Wire.readNatural(tag, b, from, to - from));
    }

    /**
     * A binary container (WIRE.md, "Binary containers"), read with the codecs' own {@link Framing.Cursor}: lists
     * and sets as arrays, records as objects keyed by component name, maps as objects keyed by each key's text (a
     * key that is itself a container is written as its JSON text).
     */
    private static JsonNode container(byte tag, byte[] b, int from, int to, int depth) {
        Framing.Cursor in = new Framing.Cursor(b, from, to - from);
        int count = in.count(2);
        if (tag == WireType.LIST || tag == WireType.SET) {
            com.fasterxml.jackson.databind.node.ArrayNode array = NODES.arrayNode(count);
            for (int i = 0; i < count; i++) {
                array.add(element(in, depth));
            }
            in.finish();
            return array;
        }
        com.fasterxml.jackson.databind.node.ObjectNode object = NODES.objectNode();
        for (int i = 0; i < count; i++) {
            String name;
            if (tag == WireType.RECORD) {
                int at = in.slice("component name");
                name = Wire.utf8(tag, b, at, in.lastLength());
            } else {
                JsonNode key = element(in, depth);
                name = key.isValueNode() ? key.asText() : key.toString();
            }
            object.set(name, element(in, depth));
        }
        in.finish();
        return object;
    }

    private static JsonNode element(Framing.Cursor in, int depth) {
        int at = in.slice("element");
        return decodeRange(in.bytes(), at, at + in.lastLength(), depth);
    }

    /** The name of the entry's wire tag, e.g. {@code long}, {@code String (UTF-8)}, {@code JSON}. */
    public static String tagName(byte[] value) {
        byte tag = Wire.tag(value, 0, value == null ? 0 : value.length);
        return WireType.describe(tag);
    }

    private static JsonNode parseJson(byte[] value) {
        if (value.length < 2) {
            throw new CodecException("corrupt JSON value: no JSON text after the tag");
        }
        String text = Wire.utf8(WireType.JSON, value, 1, value.length - 1);
        try {
            return PARSER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CodecException("corrupt JSON value: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode toNode(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case Boolean b -> NODES.booleanNode(b);
            case Byte b -> NODES.numberNode(b);
            case Short s -> NODES.numberNode(s);
            case Integer i -> NODES.numberNode(i);
            case Long l -> NODES.numberNode(l);
            case Float f -> Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(f.toString());
            case Double d -> Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(d.toString());
            case BigInteger b -> NODES.numberNode(b);
            case BigDecimal b -> NODES.numberNode(b);
            case byte[] bytes -> NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            // Character, String, UUID and the java.time values: their toString() is the ISO/plain form.
            default -> NODES.textNode(v.toString());
        };
    }
}
