package dev.hyphae.node.federation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/**
 * Reads another server's HTTP answer the same way whatever carried it: a 2xx JSON body is the
 * result, an error status becomes {@link FederationException#answered} with the remote's errcode.
 */
final class FederationAnswer {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FederationAnswer() {
    }

    /**
     * @param reasonPhrase the HTTP reason phrase, the error text when the body has none
     */
    static JsonNode read(String destination, int status, String reasonPhrase, byte[] bytes) {
        JsonNode json;
        try {
            json = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            // Not JSON: a 2xx answer fails below; an error answer keeps its status without an errcode.
            json = null;
        }
        if (status >= 200 && status < 300) {
            if (json == null || json.isMissingNode()) {
                throw new FederationException(destination, status, null,
                        destination + " answered " + status + " without a JSON body", null);
            }
            return json;
        }
        String errcode = json != null && json.path("errcode").isTextual() ? json.get("errcode").textValue() : null;
        String error = json != null && json.path("error").isTextual() ? json.get("error").textValue() : reasonPhrase;
        throw FederationException.answered(destination, status, errcode, error);
    }

    /** A 2xx answer as bytes; an error status as in {@link #read}. */
    static FederationBytes readBytes(String destination, int status, String reasonPhrase, String contentType,
            byte[] bytes) {
        if (status >= 200 && status < 300) {
            return new FederationBytes(status, contentType == null ? "" : contentType, bytes);
        }
        read(destination, status, reasonPhrase, bytes);
        throw FederationException.answered(destination, status, null, reasonPhrase);
    }

    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String message(Throwable error) {
        Throwable cause = unwrap(error);
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
