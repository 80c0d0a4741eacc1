# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 80/tcp comment 'http'
ufw allow 443/tcp comment 'https'
ufw allow 7881/tcp comment 'livekit-tcp'
ufw allow from 203.0.113.0/24 to any port 8888 proto tcp comment 'dashboard'
ufw allow from 2001:db8:1234::/48 to any port 8888 proto tcp comment 'dashboard'
ufw allow 44200:44300/udp comment 'livekit-udp'
ufw --force enable
