package io.objstate.internal.codec;

/**
 * A field value that cannot be encoded or decoded, or a field type no codec can handle. Messages name what
 * was expected and what was found, and read well after the runtime's prefix
 * {@code "class bank.Account field balance object alice: "}, e.g. {@code stored as long, field is String}.
 */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
