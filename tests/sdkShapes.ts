/**
 * Compile-time proof (run by `npm run typecheck`, part of `npm test`) that the SDK slices each target
 * declares match the real SDKs: every class exists with a compatible constructor, and every args field
 * we send exists in the SDK's args type with a compatible type. Kept out of `src/` so that launching the
 * stack program does not type-check the SDKs' declaration files.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import type * as azureTypes from "@pulumi/azure-native/types/input";
import * as digitalocean from "@pulumi/digitalocean";
import * as gcp from "@pulumi/gcp";
import * as hcloud from "@pulumi/hcloud";
import type * as hcloudTypes from "@pulumi/hcloud/types/input";
import * as linode from "@pulumi/linode";
import type * as linodeTypes from "@pulumi/linode/types/input";
import * as oci from "@pulumi/oci";
import * as openstack from "@pulumi/openstack";
import type { AwsGroupArgs, AwsPrefixListArgs, AwsRuleArgs, AwsSdk } from "../src/clouds/aws/target";
import type { AzureNetworkSdk, AzureNsgArgs, AzureSecurityRule, AzureStandaloneRuleArgs } from "../src/clouds/azure/target";
import type { DigitalOceanSdk, DoFirewallArgs } from "../src/clouds/digitalocean/target";
import type { GcpFirewallArgs, GcpSdk } from "../src/clouds/gcp/target";
import type { HetznerApplyTo, HetznerFirewallArgs, HetznerRule, HetznerSdk } from "../src/clouds/hetzner/target";
import type { LinodeFirewallArgs, LinodeRule, LinodeSdk } from "../src/clouds/linode/target";
import type { OciNsgArgs, OciRuleArgs, OciSdk } from "../src/clouds/oci/target";
import type { OpenstackGroupArgs, OpenstackRuleArgs, OpenstackSdk } from "../src/clouds/openstack/target";

/** `true` only when every key of Ours is a key of Sdk: a misspelled field fails to compile. */
type OnlyKnownKeys<Ours, Sdk> = [Exclude<keyof Ours, keyof Sdk>] extends [never] ? true : { unknownFields: Exclude<keyof Ours, keyof Sdk> };
/** Compiles only when Ours is assignable to Sdk. */
const fits = <Sdk>(_value: Sdk): void => undefined;
declare const value: <T>() => T;

export const classes: [AwsSdk, GcpSdk, DigitalOceanSdk, AzureNetworkSdk, HetznerSdk, OciSdk, LinodeSdk, OpenstackSdk] = [
    aws,
    gcp,
    digitalocean,
    network,
    hcloud,
    oci,
    linode,
    openstack,
];

export const keys: true[] = [
    true as OnlyKnownKeys<AwsGroupArgs, aws.ec2.SecurityGroupArgs>,
    true as OnlyKnownKeys<AwsRuleArgs, aws.vpc.SecurityGroupIngressRuleArgs>,
    true as OnlyKnownKeys<AwsRuleArgs, aws.vpc.SecurityGroupEgressRuleArgs>,
    true as OnlyKnownKeys<GcpFirewallArgs, gcp.compute.FirewallArgs>,
    true as OnlyKnownKeys<DoFirewallArgs, digitalocean.FirewallArgs>,
    true as OnlyKnownKeys<AzureNsgArgs, network.NetworkSecurityGroupArgs>,
    true as OnlyKnownKeys<AzureSecurityRule, azureTypes.network.SecurityRuleArgs>,
    true as OnlyKnownKeys<AzureStandaloneRuleArgs, network.SecurityRuleArgs>,
    true as OnlyKnownKeys<AwsPrefixListArgs, aws.ec2.ManagedPrefixListArgs>,
    true as OnlyKnownKeys<HetznerFirewallArgs, hcloud.FirewallArgs>,
    true as OnlyKnownKeys<HetznerRule, hcloudTypes.FirewallRule>,
    true as OnlyKnownKeys<HetznerApplyTo, hcloudTypes.FirewallApplyTo>,
    true as OnlyKnownKeys<OciNsgArgs, oci.core.NetworkSecurityGroupArgs>,
    true as OnlyKnownKeys<OciRuleArgs, oci.core.NetworkSecurityGroupSecurityRuleArgs>,
    true as OnlyKnownKeys<LinodeFirewallArgs, linode.FirewallArgs>,
    true as OnlyKnownKeys<LinodeRule, linodeTypes.FirewallInbound>,
    true as OnlyKnownKeys<OpenstackGroupArgs, openstack.networking.SecGroupArgs>,
    true as OnlyKnownKeys<OpenstackRuleArgs, openstack.networking.SecGroupRuleArgs>,
];

fits<aws.ec2.SecurityGroupArgs>(value<AwsGroupArgs>());
fits<aws.vpc.SecurityGroupIngressRuleArgs>(value<AwsRuleArgs & { securityGroupId: string }>());
fits<aws.vpc.SecurityGroupEgressRuleArgs>(value<AwsRuleArgs & { securityGroupId: string }>());
fits<gcp.compute.FirewallArgs>(value<GcpFirewallArgs>());
fits<digitalocean.FirewallArgs>(value<DoFirewallArgs>());
fits<network.NetworkSecurityGroupArgs>(value<AzureNsgArgs>());
fits<network.SecurityRuleArgs>(value<AzureStandaloneRuleArgs>());
fits<aws.ec2.ManagedPrefixListArgs>(value<AwsPrefixListArgs>());
fits<hcloud.FirewallArgs>(value<HetznerFirewallArgs>());
fits<oci.core.NetworkSecurityGroupArgs>(value<OciNsgArgs>());
fits<oci.core.NetworkSecurityGroupSecurityRuleArgs>(value<OciRuleArgs & { networkSecurityGroupId: string }>());
fits<linode.FirewallArgs>(value<LinodeFirewallArgs>());
fits<openstack.networking.SecGroupArgs>(value<OpenstackGroupArgs>());
fits<openstack.networking.SecGroupRuleArgs>(value<OpenstackRuleArgs & { securityGroupId: string }>());
fits<aws.vpc.SecurityGroupIngressRuleArgs>(value<AwsRuleArgs & { securityGroupId: string; prefixListId: pulumi.Output<string> }>());
