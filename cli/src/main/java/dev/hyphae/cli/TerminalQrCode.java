package dev.hyphae.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn with Unicode half blocks, two modules per character cell, dark on light with a
 * quiet zone, so a phone can scan it from a terminal.
 */
final class TerminalQrCode {
    private static final int QUIET_ZONE = 2;

    private TerminalQrCode() {
    }

    static String draw(String text) {
        QrCode code = QrCode.encodeText(text, QrCode.Ecc.LOW);
        int size = code.size;
        StringBuilder out = new StringBuilder();
        for (int y = -QUIET_ZONE; y < size + QUIET_ZONE; y += 2) {
            for (int x = -QUIET_ZONE; x < size + QUIET_ZONE; x++) {
                boolean top = dark(code, x, y);
                boolean bottom = dark(code, x, y + 1);
                // Light modules are drawn, dark ones left blank: terminals are mostly dark on light-text.
                out.append(top ? (bottom ? ' ' : '▄') : (bottom ? '▀' : '█'));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static boolean dark(QrCode code, int x, int y) {
        return x >= 0 && y >= 0 && x < code.size && y < code.size && code.getModule(x, y);
    }
}
