package dev.hyphae.node.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContentHeadersTest {
    @Test
    void onlyTheSpecsInlineTypesAreServedInline() {
        assertTrue(ContentHeaders.isInline("image/png"));
        assertTrue(ContentHeaders.isInline("Text/Plain; charset=utf-8"));
        assertFalse(ContentHeaders.isInline("text/html"));
        assertFalse(ContentHeaders.isInline("image/svg+xml"), "SVG can carry scripts");
        assertFalse(ContentHeaders.isInline("application/octet-stream"));
        assertEquals("attachment", ContentHeaders.contentDisposition("text/html", Optional.empty()));
        assertEquals("inline; filename=\"a b.png\"", ContentHeaders.contentDisposition("image/png", Optional.of("a b.png")));
    }

    @Test
    void fileNamesCannotBreakOutOfTheHeader() {
        assertEquals("attachment; filename=\"x_; evil=1_.txt\"; filename*=UTF-8''x%22%3B%20evil%3D1%0D.txt",
                ContentHeaders.contentDisposition("text/x", Optional.of("x\"; evil=1\r.txt")));
        assertEquals("inline; filename=\".._etc_passwd\"; filename*=UTF-8''..%2Fetc%2Fpasswd",
                ContentHeaders.contentDisposition("text/plain", Optional.of("../etc/passwd")));
    }

    @Test
    void malformedOrMissingUploadTypesBecomeOctetStream() {
        assertEquals("image/png", ContentHeaders.uploadedContentType(Optional.of(" image/png ")));
        assertEquals("text/plain; charset=utf-8", ContentHeaders.uploadedContentType(Optional.of("text/plain; charset=utf-8")));
        assertEquals("application/octet-stream", ContentHeaders.uploadedContentType(Optional.empty()));
        assertEquals("application/octet-stream", ContentHeaders.uploadedContentType(Optional.of("not a type")));
        assertEquals("application/octet-stream", ContentHeaders.uploadedContentType(Optional.of("text/plain\r\nX: y")));
    }
}
