package io.keyshift.core.scan;

import org.bson.BsonBinaryReader;
import org.bson.BsonBinarySubType;
import org.bson.BsonReader;
import org.bson.BsonType;
import org.bson.RawBsonDocument;
import org.bson.io.ByteBufferBsonInput;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Walks a raw BSON document without materialising it: every ciphertext (binary subtype 6) is handed
 * to the visitor with its dotted path (array items written {@code $}), and so is every other value at
 * a path the {@link PathGuide} watches. Only paths that reach the visitor are built as strings.
 * Not thread-safe: one walker per thread.
 */
public final class DocumentWalker {

    /** What a walk reports. */
    public interface Visitor {

        void ciphertext(String path, byte[] ciphertext);

        /** A value that is not ciphertext (and not null) at a watched path; the walk does not enter it. */
        default void plaintext(String path, BsonType type) {
        }
    }

    /** Field paths to watch, as a tree of field names; {@code $} stands for the items of an array. */
    public static final class PathGuide {

        /** Watches nothing: only ciphertext is reported. */
        public static final PathGuide NONE = new PathGuide();

        private final Map<String, PathGuide> children = new HashMap<>();
        private boolean watched;

        private PathGuide() {
        }

        /** @param paths dotted paths such as {@code address.street} or {@code phones.$} */
        public static PathGuide of(Collection<String> paths) {
            PathGuide root = new PathGuide();
            for (String path : paths) {
                PathGuide node = root;
                for (String name : path.split("\\.")) {
                    node = node.children.computeIfAbsent(name, n -> new PathGuide());
                }
                node.watched = true;
            }
            return root;
        }

        private PathGuide child(String name) {
            return children.get(name);
        }
    }

    private final Deque<String> path = new ArrayDeque<>();

    public void walk(RawBsonDocument document, PathGuide guide, Visitor visitor) {
        try (BsonBinaryReader reader = new BsonBinaryReader(new ByteBufferBsonInput(document.getByteBuffer()))) {
            walkDocument(reader, guide, visitor);
        }
    }

    private void walkDocument(BsonReader reader, PathGuide node, Visitor visitor) {
        reader.readStartDocument();
        while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
            String name = reader.readName();
            path.addLast(name);
            walkValue(reader, node == null ? null : node.child(name), visitor);
            path.removeLast();
        }
        reader.readEndDocument();
    }

    private void walkValue(BsonReader reader, PathGuide node, Visitor visitor) {
        BsonType type = reader.getCurrentBsonType();
        boolean encrypted = type == BsonType.BINARY
                && reader.peekBinarySubType() == BsonBinarySubType.ENCRYPTED.getValue();
        if (encrypted) {
            visitor.ciphertext(String.join(".", path), reader.readBinaryData().getData());
            return;
        }
        if (node != null && node.watched && type != BsonType.NULL) {
            visitor.plaintext(String.join(".", path), type);
            reader.skipValue();
            return;
        }
        switch (type) {
            case DOCUMENT -> walkDocument(reader, node, visitor);
            case ARRAY -> {
                reader.readStartArray();
                path.addLast("$");
                PathGuide items = node == null ? null : node.child("$");
                while (reader.readBsonType() != BsonType.END_OF_DOCUMENT) {
                    walkValue(reader, items, visitor);
                }
                path.removeLast();
                reader.readEndArray();
            }
            default -> reader.skipValue();
        }
    }
}
