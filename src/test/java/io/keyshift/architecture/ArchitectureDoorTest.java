package io.keyshift.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.keyshift.core.migrate.Cutover;
import io.keyshift.core.migrate.KeyRestore;
import io.keyshift.core.migrate.Migrations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front ends reach the engine's migrations through one door, and the engine's packages depend on
 * each other in one direction only.
 */
class ArchitectureDoorTest {

    private static final String MIGRATE = Migrations.class.getPackageName();
    /**
     * Where the CLI and the wizard may enter core.migrate: the door; restore-keys, which starts from a
     * backup file rather than a migration; and the cutover advice shown before there is a plan.
     */
    private static final List<Class<?>> DOORS = List.of(Migrations.class, KeyRestore.class, Cutover.class);

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.keyshift");
    }

    @Test
    void cliAndUiUseCoreMigrateOnlyThroughTheDoorAndTheValuesItTakesAndReturns() {
        Set<String> reachable = reachableFromTheDoors();
        DescribedPredicate<JavaClass> behindTheDoor = DescribedPredicate.describe(
                "core.migrate types that are neither a door, nor taken, returned or thrown through one",
                type -> type.getPackageName().equals(MIGRATE) && !reachable.contains(type.getName())
                        && !type.isAssignableTo(Throwable.class));
        noClasses().that().resideInAnyPackage("io.keyshift.cli..", "io.keyshift.ui..")
                .should().dependOnClassesThat(behindTheDoor)
                .check(classes);
    }

    @Test
    void theStrategyPipelinesAreNotReachableThroughTheDoor() {
        assertThat(reachableFromTheDoors()).contains(MIGRATE + ".MigrationPlan", MIGRATE + ".MigrationListener")
                .doesNotContain(MIGRATE + ".RewrapMigration", MIGRATE + ".ValueMigration", MIGRATE + ".Journal",
                        MIGRATE + ".KeyClaims");
    }

    @Test
    void coreSlicesAreFreeOfCycles() {
        slices().matching("io.keyshift.core.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** The door types and every core.migrate type in the public signatures of those, transitively. */
    private static Set<String> reachableFromTheDoors() {
        Set<String> reachable = new HashSet<>();
        Deque<Class<?>> toVisit = new ArrayDeque<>(DOORS);
        while (!toVisit.isEmpty()) {
            Class<?> type = toVisit.pop();
            if (!type.getPackageName().equals(MIGRATE) || !reachable.add(type.getName())) {
                continue;
            }
            Stream.of(type.getPermittedSubclasses() == null ? new Class<?>[0] : type.getPermittedSubclasses())
                    .forEach(toVisit::push);
            Stream.of(type.getDeclaredMethods(), type.getDeclaredConstructors())
                    .flatMap(Arrays::stream)
                    .filter(ArchitectureDoorTest::isPublic)
                    .forEach(executable -> signature(executable).forEach(part -> classesIn(part, toVisit)));
            Arrays.stream(type.getDeclaredFields()).filter(ArchitectureDoorTest::isPublic)
                    .forEach(field -> classesIn(field.getGenericType(), toVisit));
        }
        return reachable;
    }

    private static boolean isPublic(Member member) {
        return Modifier.isPublic(member.getModifiers());
    }

    private static Stream<Type> signature(Executable executable) {
        Stream<Type> returned = executable instanceof Method method ? Stream.of(method.getGenericReturnType()) : Stream.empty();
        return Stream.concat(returned, Stream.concat(Arrays.stream(executable.getGenericParameterTypes()),
                Arrays.stream(executable.getGenericExceptionTypes())));
    }

    private static void classesIn(Type type, Deque<Class<?>> found) {
        if (type instanceof Class<?> plain) {
            found.push(plain.isArray() ? plain.getComponentType() : plain);
        } else if (type instanceof ParameterizedType parameterized) {
            classesIn(parameterized.getRawType(), found);
            Arrays.stream(parameterized.getActualTypeArguments()).forEach(argument -> classesIn(argument, found));
        } else if (type instanceof GenericArrayType array) {
            classesIn(array.getGenericComponentType(), found);
        } else if (type instanceof WildcardType wildcard) {
            Arrays.stream(wildcard.getUpperBounds()).forEach(bound -> classesIn(bound, found));
        }
    }
}
