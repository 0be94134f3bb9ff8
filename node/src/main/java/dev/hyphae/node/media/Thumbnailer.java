package dev.hyphae.node.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Makes thumbnails of PNG, JPEG and GIF images with the JDK's own image code (no native
 * libraries), following the spec's rules: the result is never smaller than the requested size
 * unless the original is, and never larger than the original (no upscaling). An original that
 * already fits the requested size is returned as it is (empty result).
 *
 * <p>For {@code scale} the spec asks both that the aspect ratio be kept and that the result not be
 * smaller than requested; the image is therefore scaled until it covers the requested box, so one
 * side equals the request and the other is at least as long. For {@code crop} the covering image
 * is cut to the requested box around its centre.
 */
public final class Thumbnailer {
    private static final Set<String> SUPPORTED = Set.of("image/png", "image/jpeg", "image/gif");

    private final long maxPixels;

    /** @param maxPixels the largest width times height that is decoded */
    public Thumbnailer(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be positive");
        }
        // The server has no display; AWT must never try to reach one.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        this.maxPixels = maxPixels;
    }

    /** Whether content of this type is thumbnailed. */
    public static boolean supports(String contentType) {
        int semicolon = contentType.indexOf(';');
        String essence = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        return SUPPORTED.contains(essence);
    }

    /**
     * A thumbnail of at least {@code width} by {@code height}, or empty when the original is no larger
     * than that and should be served itself.
     *
     * @throws ThumbnailException when the content is not a supported image or is too large to decode
     */
    public Optional<Thumbnail> thumbnail(byte[] content, String contentType, int width, int height,
            ThumbnailMethod method) throws ThumbnailException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("thumbnail sizes are positive");
        }
        if (!supports(contentType)) {
            throw new ThumbnailException(ThumbnailException.Reason.NOT_AN_IMAGE,
                    "Cannot generate thumbnails for content of type " + contentType);
        }
        BufferedImage original = decode(content);
        int sourceWidth = original.getWidth();
        int sourceHeight = original.getHeight();
        if (sourceWidth <= width && sourceHeight <= height) {
            return Optional.empty();
        }
        // Cover the requested box, but never upscale.
        double factor = Math.min(1.0, Math.max((double) width / sourceWidth, (double) height / sourceHeight));
        int scaledWidth = Math.max(1, (int) Math.round(sourceWidth * factor));
        int scaledHeight = Math.max(1, (int) Math.round(sourceHeight * factor));
        int outWidth = method == ThumbnailMethod.CROP ? Math.min(width, scaledWidth) : scaledWidth;
        int outHeight = method == ThumbnailMethod.CROP ? Math.min(height, scaledHeight) : scaledHeight;
        boolean jpeg = contentType.toLowerCase(Locale.ROOT).startsWith("image/jpeg");
        BufferedImage out = new BufferedImage(outWidth, outHeight,
                jpeg ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = out.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            // Centre the scaled image on the output; for crop the overhang on each side is cut off.
            int x = (outWidth - scaledWidth) / 2;
            int y = (outHeight - scaledHeight) / 2;
            graphics.drawImage(original, x, y, scaledWidth, scaledHeight, null);
        } finally {
            graphics.dispose();
        }
        String format = jpeg ? "jpeg" : "png";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(out, format, bytes)) {
                throw new IllegalStateException("the JDK has no " + format + " writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a thumbnail to memory", e);
        }
        return Optional.of(new Thumbnail(bytes.toByteArray(), "image/" + format, outWidth, outHeight));
    }

    /** Decodes the first image, after checking its declared size against the pixel limit. */
    private BufferedImage decode(byte[] content) throws ThumbnailException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new ThumbnailException(ThumbnailException.Reason.TOO_LARGE,
                            "The image is too large to thumbnail");
                }
                BufferedImage image = reader.read(0);
                if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                    throw notAnImage();
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // Image decoders throw many kinds of exceptions on malformed input; each means the same.
            throw notAnImage();
        }
    }

    private static ThumbnailException notAnImage() {
        return new ThumbnailException(ThumbnailException.Reason.NOT_AN_IMAGE,
                "Cannot generate thumbnails for the requested content: it is not a readable image");
    }
}
