package io.github.lambdaimageprocessor.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.asList;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.getAtt;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.map;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code template.yaml} in its three forms (one region, the first and the second stack of a pair), rendered with the
 * parameter values of docs/multi-region.md: what each creates, what the function is allowed, what the rules refuse.
 * {@code TwoRegionTemplateLintIT} runs cfn-lint on each form.
 */
class TwoRegionTemplateTest {

    private static final SamTemplate RAW = SamTemplate.load();

    private static final SamTemplate SINGLE = RAW.rendered(DeploymentForms.SINGLE_REGION);

    private static final SamTemplate PRIMARY = RAW.rendered(DeploymentForms.PRIMARY);

    private static final SamTemplate STANDBY = RAW.rendered(DeploymentForms.STANDBY);

    private static final Map<String, Object> PEER_TABLE_ARN = Map.of("Fn::Sub",
            "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${PeerMetadataTable}");

    @Test
    void oneRegionByDefaultHasAOneReplicaGlobalTableNoReplicationAndNoGate() {
        assertThat(replicaRegions(SINGLE)).containsExactly(ref("AWS::Region"));
        assertThat(SINGLE.resources()).doesNotContainKey("ReplicationRole");
        assertThat(SINGLE.properties("UploadBucket")).doesNotContainKey("ReplicationConfiguration");
        assertThat(SINGLE.properties("ProcessedBucket")).doesNotContainKey("ReplicationConfiguration");
        assertThat(grantedActions(SINGLE)).noneMatch(action -> action.startsWith("ssm:"));
        // an empty parameter name: the function runs without a gate (FailoverPropertiesTest)
        assertThat(SINGLE.environment()).containsEntry("ACTIVE_REGION_PARAMETER", ref("ActiveRegionParameter"))
            .containsEntry("DDB_TABLE", ref("MetadataTable"));
        assertThat(map(RAW.parameters(), "ActiveRegionParameter")).containsEntry("Default", "");
    }

    @Test
    void aStreamIsOnFromTheStartSoAddingTheSecondReplicaIsAnUpdate() {
        // required with two replicas, and changeable only while there is one
        assertThat(map(SINGLE.properties("MetadataTable"), "StreamSpecification")).containsEntry("StreamViewType",
                "NEW_AND_OLD_IMAGES");
        assertThat(SINGLE.properties("MetadataTable")).isEqualTo(withoutReplicas(PRIMARY.properties("MetadataTable"),
                SINGLE.properties("MetadataTable")));
    }

    @Test
    void thePrimaryAddsThePeersReplicaAndReplicatesBothBucketsToThePeer() {
        assertThat(replicaRegions(PRIMARY)).containsExactly(ref("AWS::Region"), ref("PeerRegion"));
        assertThat(replicationDestination(PRIMARY, "UploadBucket"))
            .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${PeerUploadBucket}"));
        assertThat(replicationDestination(PRIMARY, "ProcessedBucket"))
            .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${PeerProcessedBucket}"));
        assertThat(PRIMARY.environment()).containsEntry("DDB_TABLE", ref("MetadataTable"))
            .containsEntry("PEER_REGION", ref("PeerRegion"));
        // the active region records an upload under its own bucket: the upload API looks there too (ImageApiTest)
        assertThat(PRIMARY.environment(SamTemplate.HTTP_API_FUNCTION)).containsEntry("PEER_UPLOAD_BUCKET",
                ref("PeerUploadBucket"));
        assertThat(tableResources(PRIMARY)).containsExactly(getAtt("MetadataTable", "Arn"));
    }

    @Test
    void theStandbyCreatesNoTableAndUsesThePrimarysReplicaInItsRegion() {
        assertThat(STANDBY.resourcesOfType("AWS::DynamoDB::GlobalTable")).isEmpty();
        assertThat(STANDBY.resourcesOfType("AWS::DynamoDB::Table")).isEmpty();
        assertThat(STANDBY.environment()).containsEntry("DDB_TABLE", ref("PeerMetadataTable"));
        assertThat(tableResources(STANDBY)).containsExactly(PEER_TABLE_ARN);
        assertThat(map(STANDBY.outputs(), "MetadataTableName")).containsEntry("Value", ref("PeerMetadataTable"));
        // and it replicates back, so a failback finds in the primary what arrived while the standby was active
        assertThat(replicationDestination(STANDBY, "UploadBucket"))
            .isEqualTo(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${PeerUploadBucket}"));
    }

    @Test
    void bothStacksOfAPairMayReadTheOneSwitchParameterAndNothingElseInSsm() {
        for (SamTemplate form : List.of(PRIMARY, STANDBY)) {
            List<Map<String, Object>> ssm = allowStatements(form).stream()
                .filter(statement -> asList(statement.get("Action")).stream()
                    .anyMatch(action -> ((String) action).startsWith("ssm:")))
                .toList();
            assertThat(ssm).singleElement().satisfies(statement -> {
                assertThat(asList(statement.get("Action"))).containsExactly("ssm:GetParameter");
                assertThat(asList(statement.get("Resource"))).containsExactly(Map.of("Fn::Sub",
                        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ActiveRegionParameter}"));
            });
        }
    }

    @Test
    void theReplicationRoleMayOnlyReadThisStacksBucketsAndWriteReplicasIntoThePeers() {
        Map<String, Object> role = PRIMARY.properties("ReplicationRole");
        Map<String, Object> trust = asMap(asList(map(role, "AssumeRolePolicyDocument").get("Statement")).getFirst());
        assertThat(map(trust, "Principal")).containsEntry("Service", "s3.amazonaws.com");
        assertThat(map(map(trust, "Condition"), "StringEquals")).containsKey("aws:SourceAccount");

        List<Map<String, Object>> statements = asList(role.get("Policies")).stream()
            .flatMap(policy -> asList(map(asMap(policy), "PolicyDocument").get("Statement")).stream())
            .map(SamTemplate::asMap)
            .toList();
        Set<String> actions = new TreeSet<>();
        statements.forEach(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow");
            asList(statement.get("Action")).forEach(action -> actions.add((String) action));
        });
        assertThat(actions).containsExactlyInAnyOrder("s3:GetReplicationConfiguration", "s3:ListBucket",
                "s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging",
                "s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags");
        // writes only into the peer's buckets, reads only from this stack's own (spelled-out names)
        statements.forEach(statement -> asList(statement.get("Resource")).forEach(resource -> {
            String text = String.valueOf(resource);
            if (asList(statement.get("Action")).contains("s3:ReplicateObject")) {
                assertThat(text).containsAnyOf("${PeerUploadBucket}/*", "${PeerProcessedBucket}/*");
            }
            else {
                assertThat(text).containsAnyOf("image-uploads-${AWS::AccountId}-${StackIdSuffix}",
                        "image-thumbnails-${AWS::AccountId}-${StackIdSuffix}");
            }
        }));
    }

    @Test
    void theRulesRefuseHalfAPair() {
        assertThat(RAW.brokenRules(DeploymentForms.SINGLE_REGION)).isEmpty();
        assertThat(RAW.brokenRules(DeploymentForms.PRIMARY)).isEmpty();
        assertThat(RAW.brokenRules(DeploymentForms.STANDBY)).isEmpty();

        assertThat(RAW.brokenRules(Map.of("PeerRegion", "eu-west-1"))).hasSize(3)
            .anySatisfy(description -> assertThat(description).contains("both regions would process every upload"));
        assertThat(RAW.brokenRules(Map.of("PeerUploadBucket", "image-uploads-123456789012-0a1b2c3d4e5f")))
            .singleElement()
            .satisfies(description -> assertThat(description).contains("need PeerRegion"));
    }

    @Test
    void theProcessedBucketReplicatesThumbnailsOnlyNotTheBatchJobsManifestsAndReports() {
        for (SamTemplate form : List.of(PRIMARY, STANDBY)) {
            Map<String, Object> rule = asMap(asList(map(form.properties("ProcessedBucket"), "ReplicationConfiguration")
                .get("Rules")).getFirst());
            // what the peer serves after a failover; backfill-jobs/ (S3 Batch Operations' manifests and completion
            // reports, written by BatchOperationsRole) stays in the region whose jobs made it
            assertThat(map(rule, "Filter")).isEqualTo(Map.of("Prefix", "thumbnails/"));
            Map<String, Object> uploads = asMap(asList(map(form.properties("UploadBucket"), "ReplicationConfiguration")
                .get("Rules")).getFirst());
            assertThat(map(uploads, "Filter")).isEqualTo(Map.of("Prefix", ""));
        }
    }

    @Test
    void renderingRefusesAParameterTheTemplateDoesNotHave() {
        assertThatIllegalArgumentException().isThrownBy(() -> RAW.rendered(Map.of("StandbyRegion", "eu-west-1")));
    }

    private static List<Object> replicaRegions(SamTemplate form) {
        return asList(form.properties("MetadataTable").get("Replicas")).stream()
            .map(replica -> asMap(replica).get("Region"))
            .toList();
    }

    private static Map<String, Object> withoutReplicas(Map<String, Object> table, Map<String, Object> replicasFrom) {
        Map<String, Object> copy = new java.util.LinkedHashMap<>(table);
        copy.put("Replicas", replicasFrom.get("Replicas"));
        return copy;
    }

    private static Object replicationDestination(SamTemplate form, String bucket) {
        Map<String, Object> replication = map(form.properties(bucket), "ReplicationConfiguration");
        assertThat(replication.get("Role")).isEqualTo(getAtt("ReplicationRole", "Arn"));
        Map<String, Object> rule = asMap(asList(replication.get("Rules")).getFirst());
        assertThat(rule).containsEntry("Status", "Enabled");
        return map(rule, "Destination").get("Bucket");
    }

    private static List<Map<String, Object>> allowStatements(SamTemplate form) {
        return asList(form.function().getValue().get("Policies")).stream()
            .flatMap(policy -> asList(asMap(policy).get("Statement")).stream())
            .map(SamTemplate::asMap)
            .filter(statement -> "Allow".equals(statement.get("Effect")))
            .toList();
    }

    private static Set<String> grantedActions(SamTemplate form) {
        Set<String> actions = new TreeSet<>();
        allowStatements(form).forEach(statement -> asList(statement.get("Action"))
            .forEach(action -> actions.add((String) action)));
        return actions;
    }

    private static List<Object> tableResources(SamTemplate form) {
        return allowStatements(form).stream()
            .filter(statement -> asList(statement.get("Action")).contains("dynamodb:PutItem"))
            .flatMap(statement -> asList(statement.get("Resource")).stream())
            .toList();
    }
}
