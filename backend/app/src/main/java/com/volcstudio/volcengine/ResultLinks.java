package com.volcstudio.volcengine;

import com.volcstudio.config.InvalidSettingException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which result links (an answer's {@code image_urls}) the app downloads. An upstream answer is not
 * trusted to name any address: fetched blindly, a link to loopback or the local network makes the
 * app a port scanner for whoever controls that answer. So a link is fetched only when it is {@code
 * https} on port 443 of a host under one of {@code hostSuffixes} (where VolcEngine serves results),
 * or on the very origin (scheme, host and port) of the endpoint the answer came from — the
 * emulator's own links in demo mode or with {@code VOLC_ENDPOINT=http://127.0.0.1:…}, the only case
 * where {@code http} is allowed. A redirect is held to the same rule.
 *
 * @param hostSuffixes lower-case domain names; a host matches one when it is that name or ends in
 *     "." + it ({@code VOLC_RESULT_URL_HOSTS})
 * @param maxBytes the largest result image downloaded ({@code VOLC_RESULT_MAX_MB})
 */
public record ResultLinks(List<String> hostSuffixes, long maxBytes) {

  /**
   * Where result links were seen: TOS buckets of the visual API's and Ark's results ({@code
   * *.tos-cn-beijing.volces.com}), VolcEngine's CDN ({@code volccdn.com}) and the signed image CDN
   * the visual API's {@code image_urls} point at ({@code p*-aiop-sign.byteimg.com}).
   */
  public static final String DEFAULT_HOSTS = "volces.com,volccdn.com,byteimg.com";

  public static final int DEFAULT_MAX_MB = 50;

  private static final Pattern DOMAIN =
      Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]([a-z0-9-]*[a-z0-9])?");

  public ResultLinks {
    hostSuffixes = List.copyOf(hostSuffixes);
  }

  /**
   * From the settings, refusing what cannot be a domain name: a URL, a port, an address, a wildcard
   * other than a leading {@code *.}.
   */
  public static ResultLinks of(List<String> hosts, int maxMb) {
    List<String> suffixes =
        hosts.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .map(h -> h.startsWith("*.") ? h.substring(2) : h.startsWith(".") ? h.substring(1) : h)
            .toList();
    for (String suffix : suffixes) {
      if (!DOMAIN.matcher(suffix).matches()) {
        throw new InvalidSettingException(
            "VOLC_RESULT_URL_HOSTS",
            "must list domain names such as volces.com, comma separated; '"
                + suffix
                + "' is not one");
      }
    }
    if (maxMb < 1) {
      throw new InvalidSettingException(
          "VOLC_RESULT_MAX_MB", "must be at least 1 (MB), not " + maxMb);
    }
    return new ResultLinks(suffixes, maxMb * 1024L * 1024L);
  }

  /** The defaults, for clients built without settings. */
  public static ResultLinks defaults() {
    return of(List.of(DEFAULT_HOSTS.split(",")), DEFAULT_MAX_MB);
  }

  /**
   * Why {@code link} may not be fetched for an answer from {@code endpoint}; empty when it may. The
   * reason names the link's origin only: its path and query may hold a signature.
   */
  public Optional<String> refusal(String link, URI endpoint) {
    URI uri;
    try {
      uri = new URI(link);
    } catch (java.net.URISyntaxException e) {
      return Optional.of("the result link is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || host.isEmpty() || uri.getRawUserInfo() != null) {
      return Optional.of("the result link is not an absolute URL with a host");
    }
    String origin = scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    if (sameOrigin(uri, endpoint)) {
      return Optional.empty();
    }
    if (!scheme.equals("https") || (uri.getPort() != -1 && uri.getPort() != 443)) {
      return Optional.of(
          "the result link " + origin + " is not https on the default port; refused");
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    boolean allowed = hostSuffixes.stream().anyMatch(s -> name.equals(s) || name.endsWith("." + s));
    return allowed
        ? Optional.empty()
        : Optional.of(
            "the result link "
                + origin
                + " is not on a host VOLC_RESULT_URL_HOSTS allows; refused");
  }

  private static boolean sameOrigin(URI link, URI endpoint) {
    return endpoint.getScheme() != null
        && endpoint.getHost() != null
        && endpoint.getScheme().equalsIgnoreCase(link.getScheme())
        && endpoint.getHost().equalsIgnoreCase(link.getHost())
        && port(endpoint) == port(link);
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
