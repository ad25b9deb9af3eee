package io.github.lambdaimageprocessor.thumbnail;

import java.awt.color.CMMException;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.color.ProfileDataException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.lambdaimageprocessor.jpeg.JpegColorSpace;
import io.github.lambdaimageprocessor.jpeg.JpegInfo;

/**
 * The source's colour space as a thumbnail's record states it: the colour model the parser decided and, when an ICC
 * profile is embedded, its description (or a note that it is unreadable, in which case the decoders ignore it).
 */
final class SourceColorSpace {

    /**
     * Whether the decoders can apply a profile, by component count and the profile's SHA-256, for the profiles seen
     * lately: uploads carry a handful of profiles over and over (sRGB, Display P3, SWOP), and linking a large CMYK one
     * to find out costs 10-20 ms, as much again as the decode.
     */
    private static final Map<String, Boolean> APPLIED = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f,
            true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 32;
        }
    });

    private SourceColorSpace() {
    }

    static String describe(JpegInfo header) {
        // colour and alpha are named as drawn (libjpeg's model for four components without an Adobe marker is CMYK)
        String model = header.alphaOver().map(colour -> colour.displayName() + " and alpha")
            .orElse(header.colorSpace() == JpegColorSpace.OTHER ? header.componentCount() + " components"
                    : header.colorSpace().displayName());
        if (!header.iccPresent()) {
            return model;
        }
        String description = header.iccBroken() ? null
                : header.iccProfile().map(SourceColorSpace::iccDescription).orElse(null);
        if (description == null) {
            return model + " (unreadable ICC profile ignored)";
        }
        if (ImageIoDecoder.leavesAlphaOut(header)) {
            // grey and alpha with a grey profile: both decoders draw the grey through it and leave the alpha out
            return model + " (ICC " + description + (applied(1, header.iccProfile().get()) ? "" : " unusable, ignored")
                    + ", alpha ignored)";
        }
        if (header.alphaOver().isPresent()) {
            // colour and alpha (two components, or four whose ids say so): both decoders draw them over black and
            // leave any other profile aside, as ImageIO's reader does
            return model + " (ICC " + description + " ignored with alpha)";
        }
        String describes = header.iccProfile().map(SourceColorSpace::profileSpace).orElse(null);
        String samples = switch (header.componentCount()) {
            case 1 -> "GRAY";
            case 3 -> "RGB";
            case 4 -> "CMYK";
            default -> null;
        };
        if (describes != null && samples != null && !describes.equals(samples)) {
            // the decoders ignore a profile for another colour model (a CMYK one on an RGB photo): say so
            return model + " (ICC " + description + " for " + describes + ", ignored)";
        }
        int components = header.componentCount();
        byte[] icc = header.iccProfile().get();
        if (!applied(components, icc)) {
            // its header and description read, but the colour engine cannot link it (damaged tone curves, as in
            // color/icc/corrupted-icc-srgb.jpg, or damaged CMYK tables): the decoders leave it aside (CMYK inks go
            // through the formula), so naming it alone would claim a conversion that never happened
            return model + " (ICC " + description + " unusable, ignored)";
        }
        return model + " (ICC " + description + ")";
    }

    /** Whether the decoders apply this profile to a picture of so many components, remembered for the latest. */
    private static boolean applied(int components, byte[] icc) {
        String key = components + ":" + digest(icc);
        Boolean applied = APPLIED.get(key);
        if (applied == null) {
            // outside the map's lock: a new large profile takes a while to link, other images need not wait for it
            applied = switch (components) {
                case 1, 3 -> appliable(icc, components == 1);
                case 4 -> InksToSrgb.applies(icc);
                default -> true;
            };
            APPLIED.put(key, applied);
        }
        return applied;
    }

    /**
     * Whether the decoders apply this grey or RGB profile ({@link DctScalingDecoder#toSrgb}): an IEC sRGB one is taken
     * as the identity it is, any other must link to sRGB in the JDK's colour engine, which fails on a damaged one.
     */
    private static boolean appliable(byte[] icc, boolean gray) {
        if (!gray && DctScalingDecoder.isSrgb(icc)) {
            return true;
        }
        try {
            return linksToSrgb(new ICC_ColorSpace(ICC_Profile.getInstance(icc)));
        }
        catch (CMMException | ProfileDataException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the JDK's colour engine can build this space's link to sRGB, which it cannot for a damaged profile. */
    static boolean linksToSrgb(ICC_ColorSpace space) {
        try {
            space.toRGB(new float[space.getNumComponents()]);
            return true;
        }
        catch (CMMException | ProfileDataException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String digest(byte[] icc) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(icc));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The colour model a profile describes, from its header (bytes 16-19: 'RGB ', 'GRAY', 'CMYK'...). */
    private static String profileSpace(byte[] icc) {
        return icc.length < 20 ? null : new String(icc, 16, 4, StandardCharsets.ISO_8859_1).strip();
    }

    private static String iccDescription(byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
            return desc == null ? "profile" : '"' + text(desc) + '"';
        }
        catch (RuntimeException e) {
            // Broken profiles throw IllegalArgumentException or CMMException; the decoders ignore them too.
            return null;
        }
    }

    /** The text of an ICC 'desc' (v2, ASCII) or 'mluc' (v4, UTF-16) tag. */
    private static String text(byte[] tag) {
        String type = new String(tag, 0, Math.min(4, tag.length), StandardCharsets.ISO_8859_1);
        String text;
        if (type.equals("mluc") && tag.length >= 28) {
            int length = readInt(tag, 20);
            int offset = readInt(tag, 24);
            text = offset >= 0 && length >= 0 && offset + length <= tag.length && offset + length >= 0
                    ? new String(tag, offset, length, StandardCharsets.UTF_16BE) : "";
        }
        else if (tag.length > 12) {
            int length = Math.min(readInt(tag, 8), tag.length - 12);
            text = new String(tag, 12, Math.max(0, length), StandardCharsets.ISO_8859_1);
        }
        else {
            text = "";
        }
        String clean = text.replaceAll("[^\\p{Print}]", "").strip();
        return clean.length() > 64 ? clean.substring(0, 64) : clean;
    }

    private static int readInt(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16) | ((b[offset + 2] & 0xFF) << 8)
                | (b[offset + 3] & 0xFF);
    }
}
