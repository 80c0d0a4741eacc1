# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 1250/tcp comment 'api'
ufw allow 3000/tcp comment 'frontend'
ufw allow 3900/tcp comment 'garage-s3'
ufw allow 7880:7881/tcp comment 'livekit-signaling, livekit-tcp'
ufw allow from 203.0.113.0/24 to any port 8888 proto tcp comment 'dashboard'
ufw allow from 2001:db8:1234::/48 to any port 8888 proto tcp comment 'dashboard'
ufw allow 40000:40100/udp comment 'reflector-udp'
ufw allow 44200:44300/udp comment 'livekit-udp'
ufw --force enable
