package io.objstate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.objstate.internal.codec.CodecException;
import io.objstate.internal.codec.WireJson;
import io.objstate.nativestore.StoredObject;
import java.util.Base64;
import java.util.function.Consumer;

/**
 * One stored object as JSON: {@code {"class", "id", "version", "fields": {name: value}}}, fields by stored
 * entry name in stored order, values decoded by {@link WireJson}; with raw bytes, also
 * {@code "raw": {name: base64}}, which is what makes an export exact.
 */
final class ObjectJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ObjectJson() {
    }

    /** An entry that does not decode becomes {@code null} and is reported through {@code errors}. */
    static ObjectNode of(String classId, String id, StoredObject object, boolean raw, Consumer<String> errors) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("class", classId);
        node.put("id", id);
        node.put("version", object.version());
        ObjectNode fields = node.putObject("fields");
        for (int i = 0; i < object.entryCount(); i++) {
            fields.set(object.name(i), decode(classId, id, object.name(i), object.value(i), errors));
        }
        if (raw) {
            ObjectNode rawNode = node.putObject("raw");
            for (int i = 0; i < object.entryCount(); i++) {
                rawNode.put(object.name(i), Base64.getEncoder().encodeToString(object.value(i)));
            }
        }
        return node;
    }

    private static JsonNode decode(String classId, String id, String field, byte[] value, Consumer<String> errors) {
        try {
            return WireJson.decode(value);
        } catch (CodecException e) {
            errors.accept("class " + classId + " id " + id + " field " + field + ": " + Stores.oneLine(e.getMessage()));
            return MAPPER.nullNode();
        }
    }
}
