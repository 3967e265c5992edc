package com.volcstudio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The packages below {@code com.volcstudio} are modules: no dependency cycle between them and no
 * use of another module's internals (Spring Modulith's rules). The diagram of their dependencies is
 * written to {@code target/spring-modulith-docs} on every run.
 *
 * <p>The emulator is a Maven module of its own ({@code backend/emulator}, the jar volc-emulator)
 * that kept its package, {@code com.volcstudio.emulator}: Modulith finds it on the class path and
 * keeps it a module of the application, so the diagram shows who uses it and {@code connection} may
 * use only its API (the public types of its base package).
 */
class ModuleBoundaryTests {

  private static final ApplicationModules MODULES = ApplicationModules.of(StudioApplication.class);

  @Test
  void modulesHaveNoCyclesAndUseOnlyEachOthersApi() {
    MODULES.verify();
  }

  @Test
  void theEmulatorJarIsAModuleThatUsesNothingOfTheApp() {
    ApplicationModule emulator =
        MODULES
            .getModuleByName("emulator")
            .orElseThrow(
                () -> new AssertionError("the emulator's classes are not on the class path"));

    assertThat(emulator.getDirectDependencies(MODULES).uniqueModules()).isEmpty();
    assertThat(
            MODULES
                .getModuleByName("connection")
                .orElseThrow()
                .getDirectDependencies(MODULES)
                .containsModuleNamed("emulator"))
        .isTrue();
  }

  @Test
  void theModuleDiagramIsWritten() throws Exception {
    new Documenter(MODULES).writeModulesAsPlantUml();

    assertThat(Files.list(Path.of("target/spring-modulith-docs"))).isNotEmpty();
  }
}
