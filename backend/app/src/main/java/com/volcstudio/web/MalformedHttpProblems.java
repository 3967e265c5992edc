package com.volcstudio.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Requests Netty cannot even decode (a URL over 4 KB, oversized headers, a broken request line)
 * never reach Spring, and Reactor Netty answers them with an empty body. This handler, placed right
 * after the HTTP codec, answers them with the same {@code application/problem+json} shape as every
 * other error, so clients have one error format to read (the hostile-input test found the bare
 * 414s).
 */
@Component
class MalformedHttpProblems implements NettyServerCustomizer {

  @Override
  public HttpServer apply(HttpServer server) {
    return server.doOnChannelInit(
        (observer, channel, remote) -> {
          if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
            channel
                .pipeline()
                .addAfter(NettyPipeline.HttpCodec, "studio.malformedHttpProblems", new Handler());
          }
        });
  }

  /** How long a refused connection keeps reading (and dropping) what its client still sends. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private static final class Handler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof HttpRequest request) || !request.decoderResult().isFailure()) {
        ctx.fireChannelRead(msg);
        return;
      }
      Throwable cause = request.decoderResult().cause();
      ReferenceCountUtil.release(msg);
      HttpResponseStatus status;
      String field;
      String reason;
      if (cause instanceof TooLongHttpLineException) {
        status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        field = "url";
        reason = "is longer than the server accepts";
      } else if (cause instanceof TooLongHttpHeaderException) {
        status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        field = "headers";
        reason = "are larger than the server accepts";
      } else {
        status = HttpResponseStatus.BAD_REQUEST;
        field = "request";
        reason = "is not a well-formed HTTP request";
      }
      String json =
          "{\"type\":\"about:blank\",\"title\":\""
              + status.reasonPhrase()
              + "\",\"status\":"
              + status.code()
              + ",\"detail\":\""
              + field
              + ": "
              + reason
              + "\",\"errors\":[{\"field\":\""
              + field
              + "\",\"reason\":\""
              + reason
              + "\"}]}";
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      // The decoder cannot find the next request's start after a failure, so the connection ends
      // here, with a lingering close as nginx does it: the answer is sent, then this side stops
      // sending while what the client still sends (the rest of a large body; the failed decoder
      // skips it) is read and dropped for a moment. Closing at once with that body unread makes the
      // kernel reset the connection, which can destroy the answer before the client reads it (a
      // client still writing a 3 MB body behind a too-long URL saw no answer at all, in CI).
      ctx.writeAndFlush(response)
          .addListener(
              written -> {
                if (ctx.channel() instanceof DuplexChannel duplex && ctx.channel().isActive()) {
                  duplex.shutdownOutput();
                  ctx.executor()
                      .schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                  ctx.close();
                }
              });
    }
  }
}
