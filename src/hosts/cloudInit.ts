/**
 * cloud-init user data that installs the nftables ruleset at boot: the ruleset in a file, a oneshot
 * systemd unit that loads it before the network comes up, enabled at first boot; then the script that
 * opens the same ports in an image's own iptables or firewalld (Oracle Cloud's images reject them there). Put it in an
 * instance's user data (aws.ec2.Instance `userData`, GCP `metadataStartupScript`'s sibling `user-data`).
 */
import type * as Yaml from "yaml";

export const RULESET_PATH = "/etc/webrtc-firewall.nft";

const UNIT = `[Unit]
Description=webrtc-firewall host firewall (nftables)
Wants=network-pre.target
Before=network-pre.target

[Service]
Type=oneshot
ExecStart=/usr/sbin/nft -f ${RULESET_PATH}
RemainAfterExit=yes

[Install]
WantedBy=multi-user.target
`;

export const SYSCTL_PATH = "/etc/sysctl.d/60-webrtc-firewall.conf";
export const OPENINGS_PATH = "/usr/local/sbin/webrtc-firewall-image-openings";

/**
 * `sysctl`: a line for sysctl.d, e.g. the TURN relay ports reserved from other programs' outgoing traffic;
 * `notes`: warnings said as comments at the top (cloud-init ignores them), e.g. that no SSH stays open.
 */
export function renderCloudInit(nftables: string, imageOpenings: string, sysctl?: string, notes: string[] = []): string {
    const sysctlFiles = sysctl
        ? [
              {
                  path: SYSCTL_PATH,
                  permissions: "0644",
                  content:
                      `# webrtc-firewall: the TURN relay ports, filtered on the way ` +
                      `out, are never another program's source port\n${sysctl}\n`,
              },
          ]
        : [];
    const doc = {
        packages: ["nftables"],
        write_files: [
            ...sysctlFiles,
            { path: RULESET_PATH, permissions: "0644", content: nftables },
            { path: "/etc/systemd/system/webrtc-firewall.service", permissions: "0644", content: UNIT },
            { path: OPENINGS_PATH, permissions: "0755", content: imageOpenings },
        ],
        runcmd: [
            ...(sysctl ? [["sysctl", "-p", SYSCTL_PATH]] : []),
            ["systemctl", "daemon-reload"],
            ["systemctl", "enable", "--now", "webrtc-firewall.service"],
            [OPENINGS_PATH],
        ],
    };
    // Loaded on use: the stack program's cold start should not pay for a YAML library it may not need.
    const yaml: typeof Yaml = require("yaml");
    return `#cloud-config\n${notes.map((n) => `${n}\n`).join("")}${yaml.stringify(doc, { lineWidth: 0 })}`;
}
