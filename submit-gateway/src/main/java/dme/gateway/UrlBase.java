package dme.gateway;

import java.util.regex.Pattern;

/**
 * Builds the download URLs the API returns. Absolute when the request's Host header is a plain
 * host[:port] (the contract calls them URLs), else relative to the server root.
 */
record UrlBase(String prefix) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");

    /** The base of the URLs in the answer to this request. */
    static UrlBase of(spark.Request req) {
        return of(req.scheme(), req.headers("Host"));
    }

    static UrlBase of(String scheme, String hostHeader) {
        boolean okScheme = "http".equals(scheme) || "https".equals(scheme);
        if (okScheme && hostHeader != null && HOST.matcher(hostHeader).matches()) {
            return new UrlBase(scheme + "://" + hostHeader);
        }
        return new UrlBase("");
    }

    String original(long id) {
        return prefix + "/files/" + id + "/original";
    }

    String stem(long id, String stemFileName) {
        return prefix + "/files/" + id + "/stems/" + stemFileName;
    }

    /** @param selectionFile e.g. {@code 1-4.wav} */
    String mix(long id, String selectionFile) {
        return prefix + "/files/" + id + "/mixes/" + selectionFile;
    }

    /** The zip of a song's current stems and mix. */
    String archive(long id) {
        return prefix + "/files/" + id + "/archive";
    }
}
