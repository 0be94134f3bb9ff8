package dev.hyphae.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rule of the architecture: cli -> node -> transport, store, and nothing the other way. */
class ModuleDependenciesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importHyphae() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.hyphae");
    }

    @Test
    void storeDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("dev.hyphae.store..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.hyphae.transport..", "dev.hyphae.node..", "dev.hyphae.cli..")
                .check(classes);
    }

    @Test
    void transportDependsOnNoOtherModule() {
        noClasses().that().resideInAPackage("dev.hyphae.transport..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("dev.hyphae.store..", "dev.hyphae.node..", "dev.hyphae.cli..")
                .check(classes);
    }

    @Test
    void nodeDoesNotDependOnTheCommandLine() {
        noClasses().that().resideInAPackage("dev.hyphae.node..")
                .should().dependOnClassesThat().resideInAPackage("dev.hyphae.cli..")
                .check(classes);
    }

    @Test
    void modulesFormNoCycle() {
        slices().matching("dev.hyphae.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thereIsNoUtilPackage() {
        noClasses().should().resideInAnyPackage("..util..", "..utils..", "..etc..")
                .allowEmptyShould(true)
                .check(classes);
    }
}
