package io.objstate.nativestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.objstate.nativestore.ffi.ostore_h;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generated bindings must cover the header: a function added to ostore.h without regenerating fails here. */
class BindingCoverageTest {
    private static final Pattern FUNCTION = Pattern.compile("^[a-z_][\\w\\s\\*]*?\\b(ostore_\\w+)\\s*\\(", Pattern.MULTILINE);

    static List<String> headerFunctions() throws IOException {
        try (InputStream in = BindingCoverageTest.class.getResourceAsStream("/native-src/ostore.h")) {
            String header = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> names = new ArrayList<>();
            Matcher m = FUNCTION.matcher(header.replaceAll("(?s)/\\*.*?\\*/", ""));
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }
    }

    @Test
    void everyHeaderFunctionHasAGeneratedBinding() throws IOException {
        List<String> functions = headerFunctions();
        assertTrue(functions.size() >= 15, "parsed too few functions from ostore.h: " + functions);
        List<String> missing = new ArrayList<>();
        for (String f : functions) {
            boolean bound = Arrays.stream(ostore_h.class.getMethods())
                    .anyMatch(m -> m.getName().equals(f) && Modifier.isStatic(m.getModifiers()));
            if (!bound) {
                missing.add(f);
            }
        }
        assertEquals(List.of(), missing, "functions in ostore.h without a binding: regenerate with"
                + " native-src/regenerate-bindings.sh");
    }

    @Test
    void javaConstantsMatchTheHeader() {
        assertEquals(ostore_h.OSTORE_ANY_VERSION(), BatchBuffer.ANY_VERSION);
        assertEquals(ostore_h.OSTORE_ABSENT_VERSION(), BatchBuffer.ABSENT_VERSION);
        assertEquals(ostore_h.OSTORE_MAX_KEY(), StoreOptions.MAX_KEY);
        assertEquals(ostore_h.OSTORE_DEFAULT_MAX_VALUE(), StoreOptions.DEFAULT_MAX_VALUE);
        assertEquals(ostore_h.OSTORE_HARD_MAX_VALUE(), StoreOptions.HARD_MAX_VALUE);
        assertEquals(ostore_h.OSTORE_OBJECT_DELETE(), BatchBuffer.OBJECT_DELETE);
        assertEquals(ostore_h.OSTORE_OP_PUT(), BatchBuffer.OP_PUT);
        assertEquals(ostore_h.OSTORE_OP_DELETE_ENTRY(), BatchBuffer.OP_DELETE_ENTRY);
        for (StoreStatus s : StoreStatus.values()) {
            if (s == StoreStatus.UNKNOWN) {
                continue;
            }
            Method m;
            try {
                m = ostore_h.class.getMethod("OSTORE_" + s.name());
                assertEquals(s.code(), (int) m.invoke(null), s.name());
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("no constant OSTORE_" + s.name() + " in the bindings", e);
            }
        }
    }
}
