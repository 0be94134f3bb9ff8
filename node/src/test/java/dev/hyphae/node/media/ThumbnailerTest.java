package dev.hyphae.node.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ThumbnailerTest {
    private final Thumbnailer thumbnailer = new Thumbnailer(10_000_000);

    private static byte[] image(String format, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out));
        return out.toByteArray();
    }

    private static BufferedImage read(Thumbnail thumbnail) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
    }

    @Test
    void scaleCoversTheRequestedBoxWithTheOriginalAspectRatio() throws Exception {
        Thumbnail tall = thumbnailer.thumbnail(image("png", 300, 900), "image/png", 100, 100, ThumbnailMethod.SCALE)
                .orElseThrow();
        assertEquals(100, tall.width());
        assertEquals(300, tall.height());
        BufferedImage decoded = read(tall);
        assertEquals(100, decoded.getWidth());
        assertEquals(300, decoded.getHeight());
    }

    @Test
    void cropGivesTheRequestedSizeAndAspect() throws Exception {
        Thumbnail crop = thumbnailer.thumbnail(image("png", 800, 600), "image/png", 320, 240, ThumbnailMethod.CROP)
                .orElseThrow();
        assertEquals(320, read(crop).getWidth());
        assertEquals(240, read(crop).getHeight());
        Thumbnail square = thumbnailer.thumbnail(image("png", 800, 600), "image/png", 32, 32, ThumbnailMethod.CROP)
                .orElseThrow();
        assertEquals(32, read(square).getWidth());
        assertEquals(32, read(square).getHeight());
    }

    @Test
    void jpegStaysJpegAndGifBecomesPng() throws Exception {
        Thumbnail jpeg = thumbnailer.thumbnail(image("jpeg", 640, 480), "image/jpeg", 96, 96, ThumbnailMethod.CROP)
                .orElseThrow();
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals("thumbnail.jpg", jpeg.fileName());
        assertEquals(96, read(jpeg).getWidth());
        Thumbnail gif = thumbnailer.thumbnail(image("gif", 640, 480), "image/gif", 96, 96, ThumbnailMethod.SCALE)
                .orElseThrow();
        assertEquals("image/png", gif.contentType());
        assertEquals(128, read(gif).getWidth());
        assertEquals(96, read(gif).getHeight());
    }

    @Test
    void neverUpscalesAndLeavesSmallImagesAlone() throws Exception {
        assertTrue(thumbnailer.thumbnail(image("png", 50, 40), "image/png", 320, 240, ThumbnailMethod.SCALE).isEmpty());
        // Taller than requested but narrower: cropped to the height, the width stays the original's.
        Thumbnail narrow = thumbnailer.thumbnail(image("png", 50, 400), "image/png", 100, 100, ThumbnailMethod.CROP)
                .orElseThrow();
        assertEquals(50, narrow.width());
        assertEquals(100, narrow.height());
    }

    @Test
    void nonImagesAndOversizedImagesAreRefusedWithTheirReason() throws Exception {
        ThumbnailException text = assertThrows(ThumbnailException.class, () -> thumbnailer.thumbnail(
                "hello".getBytes(StandardCharsets.UTF_8), "text/plain", 32, 32, ThumbnailMethod.SCALE));
        assertEquals(ThumbnailException.Reason.NOT_AN_IMAGE, text.reason());
        ThumbnailException garbage = assertThrows(ThumbnailException.class, () -> thumbnailer.thumbnail(
                "hello".getBytes(StandardCharsets.UTF_8), "image/png", 32, 32, ThumbnailMethod.SCALE));
        assertEquals(ThumbnailException.Reason.NOT_AN_IMAGE, garbage.reason());
        ThumbnailException large = assertThrows(ThumbnailException.class, () -> new Thumbnailer(100)
                .thumbnail(image("png", 20, 20), "image/png", 8, 8, ThumbnailMethod.SCALE));
        assertEquals(ThumbnailException.Reason.TOO_LARGE, large.reason());
    }
}
