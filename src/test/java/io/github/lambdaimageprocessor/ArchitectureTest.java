package io.github.lambdaimageprocessor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The package map the README draws, enforced. */
class ArchitectureTest {

    private static final String BASE = "io.github.lambdaimageprocessor";

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(BASE);

    @Test
    void theUseCaseIsPlainJava() {
        classes().that()
            .resideInAPackage(BASE + ".processing..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", BASE + ".processing..")
            .check(CLASSES);
    }

    @Test
    void theHttpApiIsPlainJavaOverTheUseCase() {
        classes().that()
            .resideInAPackage(BASE + ".api..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.crypto..", BASE + ".processing..", BASE + ".api..")
            .check(CLASSES);
    }

    @Test
    void theCodecDependsOnNothingElseOfOurs() {
        classes().that()
            .resideInAPackage(BASE + ".jpeg..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "javax.imageio..", BASE + ".jpeg..")
            .check(CLASSES);
    }

    @Test
    void makingAThumbnailKnowsNothingOfSpringAwsOrTheAdapters() {
        noClasses().that()
            .resideInAPackage(BASE + ".thumbnail..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "io.awspring..", "com.amazonaws..",
                    "tools.jackson..", "com.fasterxml..", BASE + ".aws..", BASE + ".local..", BASE + ".web..",
                    BASE + ".function..", BASE + ".config..")
            .check(CLASSES);
    }

    @Test
    void adaptersSeeOnlyTheUseCaseAndTheConfiguration() {
        for (String adapter : new String[] { ".aws..", ".local..", ".web..", ".function..", ".cli.." }) {
            noClasses().that()
                .resideInAPackage(BASE + adapter)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BASE + ".thumbnail..", BASE + ".jpeg..")
                .check(CLASSES);
        }
    }

    @Test
    void onlyTheAwsPackageCallsAwsApis() {
        noClasses().that()
            .resideOutsideOfPackage(BASE + ".aws..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "io.awspring..")
            .check(CLASSES);
    }

    @Test
    void lambdaEventTypesStayInTheFunctions() {
        noClasses().that()
            .resideOutsideOfPackages(BASE + ".function..", BASE + ".aws..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("com.amazonaws..")
            .check(CLASSES);
    }

    @Test
    void awsAndLocalNeverImportEachOther() {
        noClasses().that().resideInAPackage(BASE + ".aws..").should().dependOnClassesThat()
            .resideInAPackage(BASE + ".local..").check(CLASSES);
        noClasses().that().resideInAPackage(BASE + ".local..").should().dependOnClassesThat()
            .resideInAPackage(BASE + ".aws..").check(CLASSES);
    }

    @Test
    void theWebLayerUsesOnlyPortsNotAdapters() {
        noClasses().that().resideInAPackage(BASE + ".web..").should().dependOnClassesThat()
            .resideInAnyPackage(BASE + ".aws..", BASE + ".local..").check(CLASSES);
    }

    @Test
    void commandsUseOnlyPortsNotAdapters() {
        noClasses().that().resideInAPackage(BASE + ".cli..").should().dependOnClassesThat()
            .resideInAnyPackage(BASE + ".aws..", BASE + ".local..", BASE + ".web..", BASE + ".function..")
            .check(CLASSES);
    }
}
