# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow 5349/tcp comment 'turn-tls'
ufw allow 7881/tcp comment 'rtc-tcp'
ufw allow 3478/udp comment 'turn-udp'
ufw allow 50000:60000/udp comment 'rtc-udp'
ufw --force enable
