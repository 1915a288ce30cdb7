package io.objstate.internal.codec;


/**
 * The framing binary containers share (sdk-api/WIRE.md "Binary containers"): varints, and elements — a
 * varint length followed by a complete tagged encoding. Writing reserves one length byte and moves the
 * element up in the rare case it needs more, so an element is encoded once.
 */
final class Framing {
    private Framing() {
    }

    static int varintSize(int v) {
        if ((v & ~0x7f) == 0) {
            return 1;
        } else if ((v & ~0x3fff) == 0) {
            return 2;
        } else if ((v & ~0x1fffff) == 0) {
            return 3;
        } else if ((v & ~0xfffffff) == 0) {
            return 4;
        }
        return 5;
    }

    /** The varint {@code v} as bytes, for headers built once (record component names). */
    static byte[] varintBytes(int v) {
        byte[] out = new byte[varintSize(v)];
        int i = 0;
        while ((v & ~0x7f) != 0) {
            out[i++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[i] = (byte) v;
        return out;
    }

    /** Writes {@code value} (may be null) as an element: varint length, then its tagged encoding. */
    static void writeElement(HeapWriter out, ElementCodec codec, Object value) {
        if (value instanceof String s && codec instanceof ScalarElement scalar && scalar.kind() == ScalarElement.Kind.STRING
                && out.putLatin1Element(s)) {
            return;   // the usual string element: no length patched afterwards (a String in a List<Integer> still fails)
        }
        out.ensure(1);
        int lengthAt = out.pos++;   // placeholder: most elements are shorter than 128 bytes
        if (value == null) {
            out.putByte(WireType.NULL);
        } else if (codec instanceof ScalarElement scalar) {
            scalar.write(out, value);   // the usual leaf: a direct call instead of an interface dispatch
        } else {
            codec.write(out, value);
        }
        closeElement(out, lengthAt);
    }

    /**
     * Patches the one-byte length placeholder at {@code lengthAt} with the length of what follows it, moving the
     * bytes when the varint needs more than one byte.
     */
    static void closeElement(HeapWriter out, int lengthAt) {
        int start = lengthAt + 1;
        int n = out.pos - start;
        if (n < 0x80) {
            out.buf[lengthAt] = (byte) n;
            return;
        }
        int extra = varintSize(n) - 1;
        out.ensure(extra);
        byte[] buf = out.buf;   // after growing
        System.arraycopy(buf, start, buf, start + extra, n);
        int at = lengthAt;
        int v = n;
        while ((v & ~0x7f) != 0) {
            buf[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[at] = (byte) v;
        out.pos = start + extra + n;
    }

    /** Decodes one element's tagged bytes {@code [offset, offset+length)} (length ≥ 1). */
    static Object readElement(ElementCodec codec, byte[] bytes, int offset, int length) {
        byte tag = bytes[offset];
        if (tag == WireType.NULL) {
            Wire.exact(tag, length, 0);
            return codec.nullValue();
        }
        if (codec instanceof ScalarElement scalar) {
            return scalar.read(tag, bytes, offset, length);   // the usual leaf: a direct call
        }
        return codec.read(tag, bytes, offset, length);
    }

    /** Reads a container payload; every read is checked against the end of the container's bytes. */
    static final class Cursor {
        private final byte[] bytes;
        private final byte tag;
        private final int end;
        private int pos;

        /** The payload of the value at {@code [offset, offset+length)} whose tag is {@code bytes[offset]}. */
        Cursor(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.tag = bytes[offset];
            this.pos = offset + 1;
            this.end = offset + length;
        }

        int position() {
            return pos;
        }

        byte[] bytes() {
            return bytes;
        }

        CodecException corrupt(String what) {
            return new CodecException("corrupt " + WireType.describe(tag) + " value: " + what);
        }

        int varint(String what) {
            return varint(what, "");
        }

        /**
         * A varint; {@code what + suffix} names it in the error, joined only when there is one (this runs per
         * element, so no message is built on the good path).
         */
        private int varint(String what, String suffix) {
            int p = pos;
            if (p < end) {   // the usual one-byte varint: one bounds check
                byte b = bytes[p];
                if (b >= 0) {
                    pos = p + 1;
                    return b;
                }
            }
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (pos >= end) {
                    throw corrupt(what + suffix + " runs past the end of the value");
                }
                byte b = bytes[pos++];
                if (shift == 28 && (b & 0xf8) != 0) {
                    throw corrupt(what + suffix + " is larger than 2^31-1");
                }
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw corrupt(what + suffix + " is larger than 2^31-1");   // not reached: the 5th byte is checked above
        }

        /** A count of items each taking at least {@code minBytes}: bounded by the bytes that remain. */
        int count(int minBytes) {
            int n = varint("count");
            if (n > (end - pos) / minBytes) {
                throw corrupt("count " + n + " does not fit in the " + (end - pos) + " bytes that remain");
            }
            return n;
        }

        /** A length-prefixed run of bytes: returns its start; {@code pos} moves past it. */
        int slice(String what) {
            int n = varint(what, " length");
            if (n == 0) {
                throw corrupt(what + " length is 0");
            }
            if (n > end - pos) {
                throw corrupt(what + " length " + n + " runs past the end of the value (" + (end - pos)
                        + " bytes remain)");
            }
            int start = pos;
            pos += n;
            lastLength = n;
            return start;
        }

        private int lastLength;

        /** The length of the run {@link #slice} returned last. */
        int lastLength() {
            return lastLength;
        }

        Object element(ElementCodec codec) {
            int at = slice("element");
            return readElement(codec, bytes, at, lastLength);
        }

        /** Requires that the value's bytes were all consumed. */
        void finish() {
            if (pos != end) {
                throw corrupt((end - pos) + " bytes left over after the last item");
            }
        }
    }
}
