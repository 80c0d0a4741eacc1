# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 80/tcp comment 'http'
ufw allow 443/tcp comment 'https'
ufw allow 7881/tcp comment 'rtc-tcp'
ufw allow 443/udp comment 'turn-udp'
ufw allow 50000:60000/udp comment 'rtc-udp'
ufw --force enable
