package dev.backuprestore.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package dependency rules, enforced so that the picture stays true: operator and cli on top,
 * nothing imports them; backup and restore do not import each other; the leaves archive, crypto,
 * storage and schedule import nothing of ours but kube.
 */
class DependencyRulesTest {
  private static final String BASE = "dev.backuprestore";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);
  }

  @Test
  void nothingImportsTheOperatorOrTheCli() {
    noClasses()
        .that()
        .resideOutsideOfPackages(BASE + ".operator..", BASE + ".cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BASE + ".operator..", BASE + ".cli..")
        .check(classes);
  }

  @Test
  void theCliDoesNotImportTheOperator() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".operator..")
        .check(classes);
  }

  /**
   * The operator's Main dispatches {@code bro ...} to the CLI; nothing else of it knows the CLI.
   */
  @Test
  void onlyTheOperatorMainDispatchesToTheCli() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".operator..")
        .and()
        .doNotHaveFullyQualifiedName(BASE + ".operator.Main")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".cli..")
        .check(classes);
  }

  /**
   * The mapping of storage and encryption fields (and the operator's protected objects) onto the
   * engine's configuration sits below the operator and the CLI, which both use it.
   */
  @Test
  void storageAndEncryptionConfigSitsBelowOperatorAndCli() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".config..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".operator..", BASE + ".cli..", BASE + ".backup..", BASE + ".collect..")
        .check(classes);
  }

  @Test
  void leavesImportNothingOfOursButKube() {
    for (String leaf : new String[] {"archive", "crypto", "storage", "schedule"}) {
      noClasses()
          .that()
          .resideInAPackage(BASE + "." + leaf + "..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              BASE + ".api..",
              BASE + ".collect..",
              BASE + ".backup..",
              BASE + ".restore..",
              BASE + ".config..",
              BASE + ".operator..")
          .check(classes);
    }
  }

  @Test
  /** The etcd engine is reused by the operator and the etcd-restore CLI: it imports neither. */
  void etcdImportsNeitherTheReconcilersNorTheCliNorTheBackupEngine() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".etcd..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".operator..",
            BASE + ".cli..",
            BASE + ".backup..",
            BASE + ".restore..",
            BASE + ".collect..",
            "io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void backupAndRestoreDoNotImportEachOther() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".backup..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".restore..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage(BASE + ".restore..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage(BASE + ".backup..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void onlyTheOperatorUsesTheOperatorSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + ".operator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.javaoperatorsdk..")
        .check(classes);
  }

  @Test
  void onlyStorageUsesTheAwsSdk() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + ".storage..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("software.amazon..")
        .check(classes);
  }

  @Test
  void theApiHasNoLogicDependencies() {
    noClasses()
        .that()
        .resideInAPackage(BASE + ".api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            BASE + ".kube..",
            BASE + ".collect..",
            BASE + ".backup..",
            BASE + ".restore..",
            BASE + ".archive..",
            BASE + ".crypto..",
            BASE + ".storage..")
        .check(classes);
  }
}
