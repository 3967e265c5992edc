package com.volcstudio.generation;

import com.volcstudio.config.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * History search.
 *
 * @param indexMaxMb heap the prompt index ({@link PromptIndex}) may take, in MB ({@code
 *     SEARCH_INDEX_MAX_MB}); a history that needs more is searched by reading the table, as with 0,
 *     which turns the index off. 100,000 prompts of about 40 characters, Chinese and English, take
 *     about 11 MB; a Chinese prompt of 800 characters about 1.7 KB.
 */
@ConfigurationProperties("search")
public record SearchProperties(@DefaultValue("256") int indexMaxMb) {

  public SearchProperties {
    if (indexMaxMb < 0 || indexMaxMb > 65_536) {
      throw new InvalidSettingException(
          "SEARCH_INDEX_MAX_MB", "must be 0 (off) to 65536 MB, not " + indexMaxMb);
    }
  }
}
