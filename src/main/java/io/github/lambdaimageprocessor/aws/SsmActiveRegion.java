package io.github.lambdaimageprocessor.aws;

import java.util.regex.Pattern;

import io.github.lambdaimageprocessor.processing.ActiveRegion;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnavailableException;
import io.github.lambdaimageprocessor.processing.ActiveRegionUnusableException;
import io.github.lambdaimageprocessor.processing.UntrustedText;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The active-region switch as an SSM parameter of type String in this region, holding a region name such as
 * {@code eu-west-1}. One {@code GetParameter} per read, the only SSM call the function makes (its role may read this
 * one parameter and nothing else).
 */
class SsmActiveRegion implements ActiveRegion {

    /** {@code us-east-1}, {@code ap-southeast-2}, {@code us-gov-west-1}, {@code eusc-de-east-1}. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}");

    private final SsmClient ssm;

    private final String parameter;

    SsmActiveRegion(SsmClient ssm, String parameter) {
        this.ssm = ssm;
        this.parameter = parameter;
    }

    @Override
    public String current() {
        Parameter read;
        try {
            read = ssm.getParameter(request -> request.name(parameter)).parameter();
        }
        catch (ParameterNotFoundException e) {
            throw new ActiveRegionUnavailableException(this + " does not exist in " + region() + ": create it with "
                    + "the active region's name (aws ssm put-parameter, see docs/multi-region.md)", failed(e));
        }
        catch (SdkException e) {
            throw new ActiveRegionUnavailableException("Failed to read " + this + " in " + region()
                    + AwsCallFailedException.errorCode(e) + ": " + e.getMessage(), failed(e));
        }
        if (read.type() == ParameterType.SECURE_STRING) {
            // read without decryption (the function may not decrypt): ciphertext, which the log has no use for
            throw new ActiveRegionUnusableException(this + " is a SecureString, which reads as ciphertext: make it "
                    + "of type String, holding the active region's name (see docs/multi-region.md)");
        }
        String value = read.value() == null ? "" : read.value();
        String region = value.strip();
        if (!REGION.matcher(region).matches()) {
            throw new ActiveRegionUnusableException(this + " holds '" + UntrustedText.excerpt(value) + "', which is "
                    + "not a region name such as us-east-1");
        }
        return region;
    }

    /**
     * The SDK's failure, classified as every adapter's is: the cause that tells the web routes a missing parameter
     * (502) from an unreachable or throttling SSM (503). The switch's own exception stays on top, as the function and
     * the commands expect it.
     */
    private AwsCallFailedException failed(SdkException e) {
        return new AwsCallFailedException("SSM", "GetParameter", "Failed to read " + this + " in " + region(), e);
    }

    private String region() {
        return ssm.serviceClientConfiguration().region().id();
    }

    @Override
    public String toString() {
        return "SSM parameter " + parameter;
    }
}
