package io.keyshift.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The engine is a library: the GUI and the CLI sit on it, never the other way round. */
class LayeringTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.keyshift");
    }

    @Test
    void coreDependsOnNeitherJavaFxNorPicocliNorTheUiNorTheCli() {
        noClasses().that().resideInAPackage("io.keyshift.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "picocli..", "io.keyshift.ui..",
                        "io.keyshift.cli..", "org.controlsfx..", "atlantafx..")
                .check(classes);
    }

    @Test
    void sandboxDependsOnNeitherTheUiNorTheCli() {
        noClasses().that().resideInAPackage("io.keyshift.sandbox..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "picocli..", "io.keyshift.ui..",
                        "io.keyshift.cli..")
                .check(classes);
    }

    @Test
    void kmsEmulatorsDependOnNothingElseOfTheSandbox() {
        noClasses().that().resideInAPackage("io.keyshift.sandbox.emulator..")
                .should().dependOnClassesThat().resideInAPackage("io.keyshift.sandbox")
                .check(classes);
    }

    @Test
    void cliDoesNotDependOnTheUi() {
        noClasses().that().resideInAPackage("io.keyshift.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "io.keyshift.ui..")
                .check(classes);
    }

    /** The window wires the pages; the pages share the wizard's draft and navigation; neither leans back on the other. */
    @Test
    void uiPackagesHaveNoCycles() {
        slices().matching("io.keyshift.ui.(*)..").should().beFreeOfCycles().check(classes);
    }
}
