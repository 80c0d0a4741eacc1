# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 3478/tcp comment 'stun-tcp'
ufw allow 5349/tcp comment 'turns-tls'
ufw allow 3478/udp comment 'stun-udp'
ufw allow 49152:65535/udp comment 'relay-udp'
ufw --force enable
