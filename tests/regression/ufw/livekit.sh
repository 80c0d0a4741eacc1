# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 80/tcp comment 'http'
ufw allow 443/tcp comment 'https'
ufw allow 5060:5061/tcp comment 'sip-tcp, sip-tls'
ufw allow 5349/tcp comment 'turn-tls'
ufw allow 7881/tcp comment 'rtc-tcp'
ufw allow 3478/udp comment 'turn-udp'
ufw allow 5060/udp comment 'sip-udp'
ufw allow 7882/udp comment 'rtc-udp-mux'
ufw allow 10000:20000/udp comment 'sip-rtp'
# Docker publishes container ports past ufw's input rules: the same rules for forwarded traffic, in DOCKER-USER
sed -i '/^# BEGIN webrtc-firewall$/,/^# END webrtc-firewall$/d' /etc/ufw/after.rules /etc/ufw/after6.rules
cat >> /etc/ufw/after.rules <<'WEBRTC_FIREWALL'
# BEGIN webrtc-firewall
*filter
:DOCKER-USER - [0:0]
-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN
-A DOCKER-USER -i docker0 -j RETURN
-A DOCKER-USER -i br-+ -j RETURN
-A DOCKER-USER -s 203.0.113.0/24 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 22 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 80 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 443 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5060:5061 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 7881 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 5060 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 7882 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 10000:20000 -j RETURN
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
-A DOCKER-USER -s 2001:db8:1234::/48 -p tcp -m conntrack --ctstate DNAT --ctorigdstport 22 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 80 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 443 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5060:5061 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 7881 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 5060 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 7882 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 10000:20000 -j RETURN
-A DOCKER-USER -m conntrack --ctstate DNAT -j DROP
-A DOCKER-USER -j RETURN
COMMIT
# END webrtc-firewall
WEBRTC_FIREWALL
ufw --force enable
ufw reload
