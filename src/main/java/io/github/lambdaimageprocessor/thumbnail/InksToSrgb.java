package io.github.lambdaimageprocessor.thumbnail;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.color.ProfileDataException;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Optional;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import com.twelvemonkeys.imageio.color.ColorSpaces;

/**
 * Makes sRGB pixels of a CMYK or YCCK picture's inks the way TwelveMonkeys' JPEG reader does, so a file's thumbnail
 * has the same colours whichever decoder made it: through the embedded profile when it is a usable four-component one,
 * else through TwelveMonkeys' generic CMYK colour space, which is an ICC profile where one is installed and otherwise
 * (as on Linux and Lambda) the uncalibrated formula, which {@link io.github.lambdaimageprocessor.jpeg.DecodedJpeg}
 * applies itself. Only the thumbnail's pixels are converted, so even a large print
 * profile costs milliseconds.
 */
final class InksToSrgb {

    private InksToSrgb() {
    }

    /**
     * The colour space the inks are in: the embedded profile when usable, else the generic CMYK one when that is an
     * ICC profile; empty when neither is, and the uncalibrated formula is the conversion.
     *
     * @param icc the embedded profile, when one is there and not broken
     */
    static Optional<ICC_ColorSpace> space(Optional<byte[]> icc) {
        return icc.flatMap(InksToSrgb::cmykSpace)
            .or(() -> ColorSpaces.getColorSpace(ColorSpaces.CS_GENERIC_CMYK) instanceof ICC_ColorSpace generic
                    ? Optional.of(generic) : Optional.empty());
    }

    /**
     * Whether the fast decoder converts the inks through this embedded profile: one {@link #space} takes whose link to
     * sRGB the colour engine can build (a damaged one it cannot, and {@link #convert} then falls back to the formula).
     */
    static boolean applies(byte[] icc) {
        return cmykSpace(icc).map(SourceColorSpace::linksToSrgb).orElse(false);
    }

    /**
     * The embedded profile as TwelveMonkeys' JPEG reader takes it ({@code readICCProfileSafe},
     * {@code ensureDisplayProfile}): read through its profile cache and checks; a profile not of the display class whose
     * rendering intent field starts with a zero byte (every standard intent does) made a display profile, so the JDK's
     * colour engine applies its perceptual tables; used when it has four components, as the frame has.
     *
     * <p>One TwelveMonkeys refuses is taken as the JDK reads it, the same way made a display profile: TwelveMonkeys
     * checks a profile by converting sRGB into it, which an input-class profile holding only the inks-to-colour table
     * (Photoshop's "SWOP (Coated), 20%") cannot do, though inks to sRGB, the one direction used here, works; lcms
     * applies such a profile for ImageMagick and Pillow. The fallback still ignores it (TwelveMonkeys converts there).
     * A profile the engine cannot convert from makes {@link #convert} empty, and the formula is used.
     */
    private static Optional<ICC_ColorSpace> cmykSpace(byte[] icc) {
        try {
            ICC_ColorSpace space = twelveMonkeysSpace(icc);
            return space.getNumComponents() == 4 ? Optional.of(space) : Optional.empty();
        }
        catch (RuntimeException refusedByTwelveMonkeys) {
            return jdkCmykSpace(icc);
        }
    }

    /**
     * Whether TwelveMonkeys' JPEG reader takes this profile as one of four components. On a file whose fourth
     * component it reads as alpha ({@link io.github.lambdaimageprocessor.jpeg.JpegInfo#alphaOver}) it then fails,
     * after the whole decode, converting red, green, blue and alpha as inks into an RGB picture.
     */
    static boolean takenAsFourComponents(byte[] icc) {
        try {
            return twelveMonkeysSpace(icc).getNumComponents() == 4;
        }
        catch (RuntimeException refusedByTwelveMonkeys) {
            return false;
        }
    }

    /** The profile through TwelveMonkeys' cache and checks, made a display profile; throws when it refuses it. */
    private static ICC_ColorSpace twelveMonkeysSpace(byte[] icc) {
        ICC_Profile profile = ColorProfiles.createProfile(icc);
        if (profile.getProfileClass() != ICC_Profile.CLASS_DISPLAY) {
            byte[] data = profile.getData();
            if (data[ICC_Profile.icHdrRenderingIntent] == 0) {
                profile = ColorProfiles.createProfile(asDisplayProfile(data));
            }
        }
        return ColorSpaces.createColorSpace(profile);
    }

    /**
     * The profile as the JDK reads it, made a display profile like TwelveMonkeys would; empty when it refuses it, or
     * when its class says it does not describe a device's colours (a device link, abstract or named-colour profile,
     * whose tables are not inks to colour).
     */
    private static Optional<ICC_ColorSpace> jdkCmykSpace(byte[] icc) {
        try {
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            int profileClass = profile.getProfileClass();
            if (profileClass != ICC_Profile.CLASS_INPUT && profileClass != ICC_Profile.CLASS_OUTPUT
                    && profileClass != ICC_Profile.CLASS_DISPLAY
                    && profileClass != ICC_Profile.CLASS_COLORSPACECONVERSION) {
                return Optional.empty();
            }
            byte[] data = profile.getData();
            if (profile.getProfileClass() != ICC_Profile.CLASS_DISPLAY && data[ICC_Profile.icHdrRenderingIntent] == 0) {
                profile = ICC_Profile.getInstance(asDisplayProfile(data));
            }
            ICC_ColorSpace space = new ICC_ColorSpace(profile);
            return space.getNumComponents() == 4 && space.getType() == ColorSpace.TYPE_CMYK ? Optional.of(space)
                    : Optional.empty();
        }
        catch (RuntimeException e) {
            // the JDK refuses broken profiles with CMMException, ProfileDataException or IllegalArgumentException;
            // whatever it is, the profile is ignored, as the fallback ignores it
            return Optional.empty();
        }
    }

    /** The profile's bytes (a copy, from {@code getData}) given the display device class. */
    private static byte[] asDisplayProfile(byte[] data) {
        data[ICC_Profile.icHdrDeviceClass] = 'm';
        data[ICC_Profile.icHdrDeviceClass + 1] = 'n';
        data[ICC_Profile.icHdrDeviceClass + 2] = 't';
        data[ICC_Profile.icHdrDeviceClass + 3] = 'r';
        return data;
    }

    /**
     * @param inks C, M, Y, K interleaved, 0 for none, {@code width * height} pixels
     * @return the pixels as {@code TYPE_INT_RGB}, or empty when the colour engine refuses the profile
     */
    static Optional<BufferedImage> convert(byte[] inks, int width, int height, ICC_ColorSpace space) {
        try {
            Raster source = Raster.createInterleavedRaster(new DataBufferByte(inks, inks.length), width, height,
                    4 * width, 4, new int[] { 0, 1, 2, 3 }, null);
            WritableRaster rgb = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 3, null);
            new ColorConvertOp(space, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(source, rgb);
            byte[] samples = ((DataBufferByte) rgb.getDataBuffer()).getData();
            BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] pixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
            for (int p = 0, i = 0; p < pixels.length; p++, i += 3) {
                pixels[p] = (samples[i] & 0xFF) << 16 | (samples[i + 1] & 0xFF) << 8 | (samples[i + 2] & 0xFF);
            }
            return Optional.of(out);
        }
        catch (CMMException | ProfileDataException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
