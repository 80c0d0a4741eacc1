# webrtc-firewall: host firewall with ufw (run as root)
# WARNING: this host firewall opens no SSH (tcp/22): the config has no adminCidrs and no rule for port 22. Applied on a server you reach over SSH, the session you have stays up but every new one is refused. To keep SSH, set adminCidrs: [YOUR.ADDRESS/32] (ssh opens from there only) and plan again; if the server is reached another way (a cloud console, SSM), this warning can stay.
ufw default deny incoming
ufw default allow outgoing
ufw allow 5349/tcp comment 'turn-tls'
ufw allow 7881/tcp comment 'rtc-tcp'
ufw allow 3478/udp comment 'turn-udp'
ufw allow 50000:60000/udp comment 'rtc-udp'
ufw --force enable
