package com.volcstudio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The packages below {@code com.volcstudio} are modules: no dependency cycle between them and no
 * use of another module's internals (Spring Modulith's rules). The diagram of their dependencies is
 * written to {@code target/spring-modulith-docs} on every run.
 */
class ModuleBoundaryTests {

  private static final ApplicationModules MODULES = ApplicationModules.of(StudioApplication.class);

  @Test
  void modulesHaveNoCyclesAndUseOnlyEachOthersApi() {
    MODULES.verify();
  }

  @Test
  void theModuleDiagramIsWritten() throws Exception {
    new Documenter(MODULES).writeModulesAsPlantUml();

    assertThat(Files.list(Path.of("target/spring-modulith-docs"))).isNotEmpty();
  }
}
