# webrtc-firewall: host firewall with ufw (run as root)
ufw default deny incoming
ufw default allow outgoing
ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'
ufw allow from 2001:db8:1234::/48 to any port 22 proto tcp comment 'ssh'
ufw allow 3478/tcp comment 'stun-tcp'
ufw allow 5349/tcp comment 'turns-tls'
ufw allow 3478/udp comment 'stun-udp'
ufw allow 49152:65535/udp comment 'relay-udp'
ufw deny out proto udp from any port 49152:65535 to 0.0.0.0/8 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 10.0.0.0/8 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 100.64.0.0/10 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 127.0.0.0/8 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 168.63.129.16/32 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 169.254.0.0/16 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 172.16.0.0/12 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 192.0.0.0/24 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 192.0.2.0/24 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 192.88.99.0/24 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 192.168.0.0/16 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 198.18.0.0/15 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 198.51.100.0/24 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 203.0.113.0/24 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 224.0.0.0/3 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to ::/96 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to ::ffff:0:0/96 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 64:ff9b::/96 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 64:ff9b:1::/48 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 100::/64 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 2001::/23 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 2001:db8::/32 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 2002::/16 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 3fff::/20 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to 5f00::/16 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to fc00::/7 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to fe80::/9 comment 'turn relay: denied peers'
ufw deny out proto udp from any port 49152:65535 to ff00::/8 comment 'turn relay: denied peers'
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
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 49152:65535 -j RETURN
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
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 5349 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 3478 -j RETURN
-A DOCKER-USER -p udp -m conntrack --ctstate DNAT --ctorigdstport 49152:65535 -j RETURN
-A DOCKER-USER -m conntrack --ctstate DNAT -j DROP
-A DOCKER-USER -j RETURN
COMMIT
# END webrtc-firewall
WEBRTC_FIREWALL
ufw --force enable
ufw reload
