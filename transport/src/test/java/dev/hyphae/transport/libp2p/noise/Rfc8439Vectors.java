package dev.hyphae.transport.libp2p.noise;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Texts and helpers shared by the RFC 8439 test vectors. */
final class Rfc8439Vectors {

    static final byte[] SUNSCREEN = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one"
        + " tip for the future, sunscreen would be it.");

    static final byte[] IETF_CONTRIBUTION = ascii("Any submission to the IETF intended by the Contributor for"
        + " publication as all or part of an IETF Internet-Draft or RFC and any statement made within the context"
        + " of an IETF activity is considered an \"IETF Contribution\". Such statements include oral statements"
        + " in IETF sessions, as well as written and electronic communications made at any time or place, which"
        + " are addressed to");

    static final byte[] JABBERWOCKY = ascii("'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\n"
        + "All mimsy were the borogoves,\nAnd the mome raths outgrabe.");

    static final byte[] INTERNET_DRAFTS = ("Internet-Drafts are draft documents valid for a maximum of six months"
        + " and may be updated, replaced, or obsoleted by other documents at any time. It is inappropriate to use"
        + " Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d")
        .getBytes(StandardCharsets.UTF_8);

    private Rfc8439Vectors() {
    }

    /** Hex with any spaces, colons and line breaks of the RFC's dumps. */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s:]", "").toLowerCase());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String toHex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
