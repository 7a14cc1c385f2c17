package io.keyshift.core.migrate;

/**
 * REKEY and DECRYPT change what the applications' automatic-encryption rules must say. Before either
 * writes anything, KeyShift must know where those rules are — a schema-map file, or server
 * validators that hold rules — or be told explicitly that the applications use none; otherwise the
 * migration would verify while the applications still name the old keys.
 */
final class SchemaRequirement {

    private SchemaRequirement() {
    }

    /**
     * @param schemaFileGiven     the applications' schema-map file was given
     * @param validatorsHoldRules a server validator on the cluster holds encryption rules
     * @param noSchemaMapDeclared the DBA declared that the applications use no schema map
     */
    public static boolean met(Strategy strategy, boolean schemaFileGiven, boolean validatorsHoldRules,
                              boolean noSchemaMapDeclared) {
        return strategy == Strategy.REWRAP || schemaFileGiven || validatorsHoldRules || noSchemaMapDeclared;
    }
}
