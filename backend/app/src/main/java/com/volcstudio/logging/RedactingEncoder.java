package com.volcstudio.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;

/**
 * The one encoder of every appender in {@code logback-spring.xml}: Spring Boot's own encoder
 * renders the line — the pattern layout, or the structured format ({@code ecs}, {@code logstash},
 * {@code gelf}) when {@code structuredFormat} is set — and {@link LogRedactor} masks it before a
 * byte is written.
 *
 * <p>Deciding between the two here, rather than with {@code <if>} in the XML, keeps Janino off the
 * class path and keeps the choice in the same place as the masking that must follow either.
 */
public class RedactingEncoder extends EncoderBase<ILoggingEvent> {

  private @Nullable String pattern;
  private @Nullable String structuredFormat;
  private Charset charset = StandardCharsets.UTF_8;

  private @Nullable Encoder<ILoggingEvent> delegate;
  private LogRedactor redactor = LogRedactor.forSyntax(LogRedactor.Syntax.TEXT);

  /** The pattern layout's pattern, used when no structured format is set. */
  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  /**
   * A structured format name or class ({@code logging.structured.format.*}); blank for the pattern.
   */
  public void setStructuredFormat(String structuredFormat) {
    this.structuredFormat = structuredFormat;
  }

  public void setCharset(Charset charset) {
    this.charset = charset;
  }

  @Override
  public void start() {
    // Spring Boot puts its Environment into the logger context; the keys it holds are known from
    // the
    // first line on. Keys that reach the Environment later (a test's @DynamicPropertySource) are
    // registered by ConfiguredSecretsRegistrar before any bean is created.
    if (getContext().getObject(Environment.class.getName()) instanceof Environment environment) {
      KnownSecrets.registerFrom(environment);
    }
    Encoder<ILoggingEvent> encoder;
    if (structuredFormat != null && !structuredFormat.isBlank()) {
      StructuredLogEncoder structured = new StructuredLogEncoder();
      structured.setFormat(structuredFormat.strip());
      structured.setCharset(charset);
      encoder = structured;
      // Every structured format Spring Boot ships writes one JSON object per line.
      redactor = LogRedactor.forSyntax(LogRedactor.Syntax.JSON);
    } else {
      if (pattern == null || pattern.isBlank()) {
        addError("RedactingEncoder needs a pattern or a structuredFormat");
        return;
      }
      PatternLayoutEncoder layout = new PatternLayoutEncoder();
      layout.setPattern(pattern);
      layout.setCharset(charset);
      encoder = layout;
      redactor = LogRedactor.forSyntax(LogRedactor.Syntax.TEXT);
    }
    encoder.setContext(getContext());
    encoder.start();
    delegate = encoder;
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate == null ? new byte[0] : masked(delegate.headerBytes());
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    if (delegate == null) {
      return new byte[0];
    }
    return masked(delegate.encode(event));
  }

  @Override
  public byte[] footerBytes() {
    return delegate == null ? new byte[0] : masked(delegate.footerBytes());
  }

  private byte[] masked(byte @Nullable [] rendered) {
    if (rendered == null || rendered.length == 0) {
      return new byte[0];
    }
    String line = new String(rendered, charset);
    String redacted = redactor.redact(line);
    // The common case, nothing to mask, writes the bytes the layout produced without re-encoding
    // them.
    return redacted == line ? rendered : redacted.getBytes(charset);
  }
}
