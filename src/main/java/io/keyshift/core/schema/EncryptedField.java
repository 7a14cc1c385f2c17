package io.keyshift.core.schema;

/**
 * A field whose encrypt block DECRYPT removes.
 *
 * @param path dotted, as the schema's nested {@code properties} spell it: {@code patient.ssn}
 */
public record EncryptedField(String namespace, String path) {
}
