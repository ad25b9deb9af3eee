package io.github.lambdaimageprocessor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering the README describes, enforced. */
class ArchitectureTest {

    private static final String BASE = "io.github.lambdaimageprocessor";

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(BASE);

    @Test
    void theCoreKnowsNothingOfSpringOrAws() {
        noClasses().that()
            .resideInAPackage(BASE + ".image..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "io.awspring..", "com.amazonaws..",
                    "tools.jackson..", "com.fasterxml..", BASE + ".aws..", BASE + ".local..", BASE + ".web..")
            .check(CLASSES);
    }

    @Test
    void onlyTheAwsPackageSpeaksAws() {
        noClasses().that()
            .resideOutsideOfPackage(BASE + ".aws..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "io.awspring..", "com.amazonaws..")
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
}
