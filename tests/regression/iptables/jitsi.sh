#!/bin/sh
# webrtc-firewall: the spec's ports opened in the image's own firewall, ahead of its REJECT (Oracle Cloud's
# Ubuntu images: iptables rules.v4 through netfilter-persistent; its Oracle Linux images: firewalld).
# Exactly what the spec opens, from the spec's sources; everything else new is dropped, the image's SSH
# accept for everyone and its UDP accept from source port 123 included. On its own it is the whole host part.
set -e
if command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="203.0.113.0/24" port port="22" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" source address="2001:db8:1234::/48" port port="22" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" port port="80" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" port port="80" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" port port="443" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" port port="443" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" port port="5349" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" port port="5349" protocol="tcp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" port port="3478" protocol="udp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" port port="3478" protocol="udp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv4" port port="10000" protocol="udp" accept'
    firewall-cmd --permanent --add-rich-rule='rule family="ipv6" port port="10000" protocol="udp" accept'
    # The default zone's ssh service opens SSH to everyone; the spec's own rules say who may.
    firewall-cmd --permanent --remove-service=ssh >/dev/null 2>&1 || true
    firewall-cmd --reload
    exit 0
fi
if command -v iptables >/dev/null 2>&1; then
    iptables -w -N WEBRTC-FIREWALL 2>/dev/null || iptables -w -F WEBRTC-FIREWALL
    iptables -w -A WEBRTC-FIREWALL -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -m conntrack --ctstate INVALID -j DROP
    iptables -w -A WEBRTC-FIREWALL -i lo -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p icmp -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -s 203.0.113.0/24 -p tcp --dport 22 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p tcp --dport 80 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p tcp --dport 443 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p tcp --dport 5349 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p udp --dport 3478 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -p udp --dport 10000 -j ACCEPT
    iptables -w -A WEBRTC-FIREWALL -j DROP
    iptables -w -C INPUT -j WEBRTC-FIREWALL 2>/dev/null || iptables -w -I INPUT 1 -j WEBRTC-FIREWALL
fi
if command -v ip6tables >/dev/null 2>&1; then
    ip6tables -w -N WEBRTC-FIREWALL 2>/dev/null || ip6tables -w -F WEBRTC-FIREWALL
    ip6tables -w -A WEBRTC-FIREWALL -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -m conntrack --ctstate INVALID -j DROP
    ip6tables -w -A WEBRTC-FIREWALL -i lo -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type destination-unreachable -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type time-exceeded -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type parameter-problem -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type echo-reply -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type router-solicitation -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type router-advertisement -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -s 2001:db8:1234::/48 -p tcp --dport 22 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p tcp --dport 80 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p tcp --dport 443 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p tcp --dport 5349 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p udp --dport 3478 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -p udp --dport 10000 -j ACCEPT
    ip6tables -w -A WEBRTC-FIREWALL -j DROP
    ip6tables -w -C INPUT -j WEBRTC-FIREWALL 2>/dev/null || ip6tables -w -I INPUT 1 -j WEBRTC-FIREWALL
fi
if command -v netfilter-persistent >/dev/null 2>&1; then netfilter-persistent save; fi
