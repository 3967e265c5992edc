package com.volcstudio.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.ModelCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request bodies the shipped catalog's models send, for parameters that are not plain. */
class WireRequestsTests {

  private static final ModelCatalog CATALOG = ModelCatalog.load(Path.of("target/no-such-dir"));

  @Test
  void seedream5LitesWebSearchGoesOutAsAToolOnlyWhenOn() {
    CatalogModel lite = CATALOG.find("seedream_5.0_lite").orElseThrow();

    Map<String, Object> on =
        WireRequests.ark(request(lite, Map.of("web_search", true), null), lite);
    assertThat(on).containsEntry("tools", List.of(Map.of("type", "web_search")));
    assertThat(on).doesNotContainKey("web_search");

    Map<String, Object> off =
        WireRequests.ark(request(lite, Map.of("web_search", false), null), lite);
    assertThat(off).doesNotContainKeys("tools", "web_search");
  }

  @Test
  void theSeedream5FamilyAsksForPngOnlyWhenTheOptionIsOn() {
    CatalogModel pro = CATALOG.find("seedream_5.0_pro").orElseThrow();

    assertThat(WireRequests.ark(request(pro, Map.of("png_output", true), null), pro))
        .containsEntry("output_format", "png")
        .doesNotContainKey("png_output");
    assertThat(WireRequests.ark(request(pro, Map.of("png_output", false), null), pro))
        .doesNotContainKeys("output_format", "png_output");
  }

  @Test
  void jimeng46sScaleGoesOutAsAWholeNumber() {
    CatalogModel jimeng = CATALOG.find("jimeng_4.6").orElseThrow();

    Map<String, Object> body = WireRequests.asyncSubmit(request(jimeng, Map.of(), 50.0), jimeng);
    assertThat(body.get("scale")).isEqualTo(50L);
  }

  @Test
  void anOrdinaryOptionGoesOutUnderItsName() {
    CatalogModel jimeng31 = CATALOG.find("jimeng_t2i_v3.1").orElseThrow();

    Map<String, Object> body =
        WireRequests.asyncSubmit(request(jimeng31, Map.of("use_pre_llm", true), null), jimeng31);
    assertThat(body).containsEntry("use_pre_llm", true);
  }

  private static ImageRequest request(
      CatalogModel model, Map<String, Boolean> options, Double scale) {
    return new ImageRequest(
        GenerationParams.generation(
            model.id(),
            "a lighthouse",
            "",
            model.size().defaultWidth(),
            model.size().defaultHeight(),
            1,
            7,
            null,
            scale,
            options,
            List.of(),
            false),
        7,
        List.of());
  }
}
