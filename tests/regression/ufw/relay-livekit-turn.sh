# webrtc-firewall: host firewall with ufw (run as root)
# WARNING: this host firewall opens no SSH (tcp/22): the config has no adminCidrs and no rule for port 22. Applied on a server you reach over SSH, the session you have stays up but every new one is refused. To keep SSH, set adminCidrs: [YOUR.ADDRESS/32] (ssh opens from there only) and plan again; if the server is reached another way (a cloud console, SSM), this warning can stay.
ufw default deny incoming
ufw default allow outgoing
ufw allow 5349/tcp comment 'turn-tls'
ufw allow 7881/tcp comment 'rtc-tcp'
ufw allow 3478/udp comment 'turn-udp'
ufw allow 50000:60000/udp comment 'rtc-udp'
# Docker publishes container ports past ufw's input rules: the same rules for forwarded traffic, in DOCKER-USER
sed -i '/^# BEGIN webrtc-firewall$/,/^# END webrtc-firewall$/d' /etc/ufw/after.rules /etc/ufw/after6.rules
cat >> /etc/ufw/after.rules <<'WEBRTC_FIREWALL'
# BEGIN webrtc-firewall
*filter
:DOCKER-USER - [0:0]
-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A DOCKER-USER -i docker0 -j RETURN
-A DOCKER-USER -i br-+ -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 7881 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 50000:60000 -j RETURN
-A DOCKER-USER -m conntrack --ctstate DNAT -j DROP
-A DOCKER-USER -j RETURN
COMMIT
# END webrtc-firewall
WEBRTC_FIREWALL
cat >> /etc/ufw/after6.rules <<'WEBRTC_FIREWALL'
# BEGIN webrtc-firewall
*filter
:DOCKER-USER - [0:0]
-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A DOCKER-USER -i docker0 -j RETURN
-A DOCKER-USER -i br-+ -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 7881 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 50000:60000 -j RETURN
-A DOCKER-USER -m conntrack --ctstate DNAT -j DROP
-A DOCKER-USER -j RETURN
COMMIT
# END webrtc-firewall
WEBRTC_FIREWALL
ufw --force enable
ufw reload
