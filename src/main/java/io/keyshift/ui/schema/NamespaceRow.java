package io.keyshift.ui.schema;

import io.keyshift.core.schema.SchemaPreview.NamespaceSummary;

import java.util.Optional;

/**
 * One namespace of the rules found: where its rules live and what the rewrite does to them.
 *
 * @param source  "schema file", "validator", or "encryptedFields" for Queryable Encryption
 * @param summary the rewrite's counts; empty for Queryable Encryption, which is never rewritten
 * @param note    what the counts do not say, or empty
 */
public record NamespaceRow(String namespace, String source, Optional<NamespaceSummary> summary, String note) {
}
