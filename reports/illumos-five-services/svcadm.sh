#!/bin/sh
# Trimmed SMF configuration written by smf-minimize for: svc:/network/nfs/server:default svc:/network/smtp:sendmail svc:/network/ssh:default svc:/system/cron:default svc:/system/system-log:default
# For a zone that has already booted: run it inside the zone as root.
# Enables the 32 instances of the closure, then disables the others.
# svc:/system/svc/restarter:default is svc.startd itself and is left alone.
set -e
/usr/sbin/svcadm enable svc:/milestone/devices:default    # require_all group 'milestone-devices' of svc:/milestone/single-user:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/single-user.xml:66)
/usr/sbin/svcadm enable svc:/milestone/name-services:default    # require_all group 'name-services' of svc:/network/smtp:sendmail (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/sendmail/lib/smtp-sendmail.xml:64)
/usr/sbin/svcadm enable svc:/milestone/network:default    # require_any group 'network' of svc:/network/nfs/server:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/server.xml:52)
/usr/sbin/svcadm enable svc:/milestone/single-user:default    # require_all group 'single-user' of svc:/system/filesystem/local:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/local-fs.xml:48)
/usr/sbin/svcadm enable svc:/milestone/sysconfig:default    # require_all group 'milestone' of svc:/system/system-log:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/syslogd/system-log.xml:50)
/usr/sbin/svcadm enable svc:/network/datalink-management:default    # require_all group 'dlmgmt-network-physical' of svc:/network/physical:default (dependent declared by svc:/network/datalink-management, ../shared/corpora/illumos-gate/usr/src/cmd/dlmgmtd/dlmgmt.xml:57)
/usr/sbin/svcadm enable svc:/network/ip-interface-management:default    # require_all group 'ipmgmt-loopback' of svc:/network/loopback:default (dependent declared by svc:/network/ip-interface-management, ../shared/corpora/illumos-gate/usr/src/cmd/cmd-inet/lib/ipmgmtd/network-ipmgmt.xml:45)
/usr/sbin/svcadm enable svc:/network/loopback:default    # require_all group 'net-loopback' of svc:/network/ssh:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/ssh/etc/ssh.xml:64)
/usr/sbin/svcadm enable svc:/network/nfs/nlockmgr:default    # require_all group 'nlockmgr' of svc:/network/nfs/server:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/server.xml:59)
/usr/sbin/svcadm enable svc:/network/nfs/server:default    # requested
/usr/sbin/svcadm enable svc:/network/nfs/status:default    # require_all group 'status' of svc:/network/nfs/nlockmgr:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/nlockmgr.xml:63)
/usr/sbin/svcadm enable svc:/network/npiv_config:default    # require_all group 'npiv-filesystem' of svc:/system/filesystem/local:default (dependent declared by svc:/network/npiv_config, ../shared/corpora/illumos-gate/usr/src/cmd/fcinfo/npiv_config.xml:60)
/usr/sbin/svcadm enable svc:/network/physical:default    # require_all group 'net-physical' of svc:/network/ssh:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/ssh/etc/ssh.xml:71)
/usr/sbin/svcadm enable svc:/network/rpc/bind:default    # require_all group 'rpcbind' of svc:/network/nfs/server:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/server.xml:73)
/usr/sbin/svcadm enable svc:/network/service:default    # require_all group 'network-service' of svc:/network/smtp:sendmail (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/sendmail/lib/smtp-sendmail.xml:56)
/usr/sbin/svcadm enable svc:/network/smtp:sendmail    # requested
/usr/sbin/svcadm enable svc:/network/ssh:default    # requested
/usr/sbin/svcadm enable svc:/system/boot-archive:default    # require_all group 'boot-archive' of svc:/system/filesystem/usr:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/usr-fs.xml:51)
/usr/sbin/svcadm enable svc:/system/cron:default    # requested
/usr/sbin/svcadm enable svc:/system/cryptosvc:default    # require_all group 'cryptosvc' of svc:/network/ssh:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/ssh/etc/ssh.xml:78)
/usr/sbin/svcadm enable svc:/system/device/fc-fabric:default    # require_all group 'devices' of svc:/milestone/devices:default (dependent declared by svc:/system/device/fc-fabric, ../shared/corpora/illumos-gate/usr/src/lib/cfgadm_plugins/fp/common/devices-fc-fabric.xml:52)
/usr/sbin/svcadm enable svc:/system/device/local:default    # require_all group 'devices' of svc:/system/filesystem/minimal:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/minimal-fs.xml:59)
/usr/sbin/svcadm enable svc:/system/filesystem/local:default    # require_all group 'filesystem-local' of svc:/network/nfs/server:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/server.xml:109)
/usr/sbin/svcadm enable svc:/system/filesystem/minimal:default    # require_all group 'filesystem-minimal' of svc:/network/nfs/nlockmgr:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fs.d/nfs/svc/nlockmgr.xml:70)
/usr/sbin/svcadm enable svc:/system/filesystem/root:default    # require_all group 'filesystem' of svc:/network/service:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/network-service.xml:65)
/usr/sbin/svcadm enable svc:/system/filesystem/usr:default    # require_all group 'filesystem' of svc:/network/service:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/network-service.xml:66)
/usr/sbin/svcadm enable svc:/system/identity:node    # require_all group 'nodename' of svc:/milestone/single-user:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/single-user.xml:50)
/usr/sbin/svcadm enable svc:/system/manifest-import:default    # require_all group 'manifests' of svc:/milestone/single-user:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/svc/milestone/single-user.xml:74)
/usr/sbin/svcadm enable svc:/system/sysevent:default    # require_all group 'npivsysevent' of svc:/network/npiv_config:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/fcinfo/npiv_config.xml:54)
/usr/sbin/svcadm enable svc:/system/system-log:default    # requested
/usr/sbin/svcadm enable svc:/system/utmp:default    # require_all group 'utmp' of svc:/network/ssh:default (dependency, ../shared/corpora/illumos-gate/usr/src/cmd/ssh/etc/ssh.xml:85)
/usr/sbin/svcadm disable svc:/application/print/ppd-cache-update:default
/usr/sbin/svcadm disable svc:/application/print/rfc1179:default
/usr/sbin/svcadm disable svc:/application/print/server:default
/usr/sbin/svcadm disable svc:/ldoms/agents:default
/usr/sbin/svcadm disable svc:/ldoms/vntsd:default
/usr/sbin/svcadm disable svc:/milestone/multi-user:default
/usr/sbin/svcadm disable svc:/milestone/multi-user-server:default
/usr/sbin/svcadm disable svc:/network/chargen:dgram
/usr/sbin/svcadm disable svc:/network/chargen:stream
/usr/sbin/svcadm disable svc:/network/comsat:default
/usr/sbin/svcadm disable svc:/network/daytime:dgram
/usr/sbin/svcadm disable svc:/network/daytime:stream
/usr/sbin/svcadm disable svc:/network/device-discovery/printers:snmp
/usr/sbin/svcadm disable svc:/network/discard:dgram
/usr/sbin/svcadm disable svc:/network/discard:stream
/usr/sbin/svcadm disable svc:/network/dns/client:default
/usr/sbin/svcadm disable svc:/network/dns/install:default
/usr/sbin/svcadm disable svc:/network/dns/multicast:default
/usr/sbin/svcadm disable svc:/network/echo:dgram
/usr/sbin/svcadm disable svc:/network/echo:stream
/usr/sbin/svcadm disable svc:/network/finger:default
/usr/sbin/svcadm disable svc:/network/ibd-post-upgrade:default
/usr/sbin/svcadm disable svc:/network/inetd:default
/usr/sbin/svcadm disable svc:/network/inetd-upgrade:default
/usr/sbin/svcadm disable svc:/network/initial:default
/usr/sbin/svcadm disable svc:/network/install:default
/usr/sbin/svcadm disable svc:/network/ipfilter:default
/usr/sbin/svcadm disable svc:/network/ipmp:default
/usr/sbin/svcadm disable svc:/network/ipqos:default
/usr/sbin/svcadm disable svc:/network/ipsec/ipsecalgs:default
/usr/sbin/svcadm disable svc:/network/ipsec/manual-key:default
/usr/sbin/svcadm disable svc:/network/ipsec/policy:default
/usr/sbin/svcadm disable svc:/network/iptun:default
/usr/sbin/svcadm disable svc:/network/ipv4-forwarding:default
/usr/sbin/svcadm disable svc:/network/ipv6-forwarding:default
/usr/sbin/svcadm disable svc:/network/iscsi/initiator:default
/usr/sbin/svcadm disable svc:/network/iscsi/target:default
/usr/sbin/svcadm disable svc:/network/isns_server:default
/usr/sbin/svcadm disable svc:/network/ldap/client:default
/usr/sbin/svcadm disable svc:/network/loadbalancer/ilb:default
/usr/sbin/svcadm disable svc:/network/location:default
/usr/sbin/svcadm disable svc:/network/login:eklogin
/usr/sbin/svcadm disable svc:/network/login:klogin
/usr/sbin/svcadm disable svc:/network/login:rlogin
/usr/sbin/svcadm disable svc:/network/netcfg:default
/usr/sbin/svcadm disable svc:/network/netmask:default
/usr/sbin/svcadm disable svc:/network/nfs/cbd:default
/usr/sbin/svcadm disable svc:/network/nfs/client:default
/usr/sbin/svcadm disable svc:/network/nfs/log:default
/usr/sbin/svcadm disable svc:/network/nfs/mapid:default
/usr/sbin/svcadm disable svc:/network/nfs/rquota:default
/usr/sbin/svcadm disable svc:/network/nis/client:default
/usr/sbin/svcadm disable svc:/network/nis/passwd:default
/usr/sbin/svcadm disable svc:/network/nis/server:default
/usr/sbin/svcadm disable svc:/network/nis/update:default
/usr/sbin/svcadm disable svc:/network/nis/xfr:default
/usr/sbin/svcadm disable svc:/network/physical:nwam
/usr/sbin/svcadm disable svc:/network/rarp:default
/usr/sbin/svcadm disable svc:/network/rexec:default
/usr/sbin/svcadm disable svc:/network/routing-setup:default
/usr/sbin/svcadm disable svc:/network/routing/legacy-routing:ipv4
/usr/sbin/svcadm disable svc:/network/routing/legacy-routing:ipv6
/usr/sbin/svcadm disable svc:/network/routing/ndp:default
/usr/sbin/svcadm disable svc:/network/routing/rdisc:default
/usr/sbin/svcadm disable svc:/network/routing/ripng:default
/usr/sbin/svcadm disable svc:/network/routing/route:default
/usr/sbin/svcadm disable svc:/network/rpc/bootparams:default
/usr/sbin/svcadm disable svc:/network/rpc/gss:default
/usr/sbin/svcadm disable svc:/network/rpc/keyserv:default
/usr/sbin/svcadm disable svc:/network/rpc/rstat:default
/usr/sbin/svcadm disable svc:/network/rpc/rusers:default
/usr/sbin/svcadm disable svc:/network/rpc/smserver:default
/usr/sbin/svcadm disable svc:/network/rpc/spray:default
/usr/sbin/svcadm disable svc:/network/rpc/wall:default
/usr/sbin/svcadm disable svc:/network/security/kadmin:default
/usr/sbin/svcadm disable svc:/network/security/krb5_prop:default
/usr/sbin/svcadm disable svc:/network/security/krb5kdc:default
/usr/sbin/svcadm disable svc:/network/security/ktkt_warn:default
/usr/sbin/svcadm disable svc:/network/sendmail-client:default
/usr/sbin/svcadm disable svc:/network/shares/group:default
/usr/sbin/svcadm disable svc:/network/shell:default
/usr/sbin/svcadm disable svc:/network/shell:kshell
/usr/sbin/svcadm disable svc:/network/slp:default
/usr/sbin/svcadm disable svc:/network/smb/client:default
/usr/sbin/svcadm disable svc:/network/smb/server:default
/usr/sbin/svcadm disable svc:/network/talk:default
/usr/sbin/svcadm disable svc:/network/tcpkey:default
/usr/sbin/svcadm disable svc:/network/telnet:default
/usr/sbin/svcadm disable svc:/network/tftp/udp6:default
/usr/sbin/svcadm disable svc:/network/time:dgram
/usr/sbin/svcadm disable svc:/network/time:stream
/usr/sbin/svcadm disable svc:/network/tnctl:default
/usr/sbin/svcadm disable svc:/network/tnd:default
/usr/sbin/svcadm disable svc:/network/uucp:default
/usr/sbin/svcadm disable svc:/network/varpd:default
/usr/sbin/svcadm disable svc:/network/vrrp:default
/usr/sbin/svcadm disable svc:/platform/i86pc/acpihpd:default
/usr/sbin/svcadm disable svc:/platform/sun4u/dcs:default
/usr/sbin/svcadm disable svc:/platform/sun4u/dscp:default
/usr/sbin/svcadm disable svc:/platform/sun4u/oplhpd:default
/usr/sbin/svcadm disable svc:/platform/sun4u/sckmd:default
/usr/sbin/svcadm disable svc:/platform/sun4u/sf880drd:default
/usr/sbin/svcadm disable svc:/platform/sun4v/drd:default
/usr/sbin/svcadm disable svc:/system/auditd:default
/usr/sbin/svcadm disable svc:/system/auditset:default
/usr/sbin/svcadm disable svc:/system/boot-archive-update:default
/usr/sbin/svcadm disable svc:/system/boot-config:default
/usr/sbin/svcadm disable svc:/system/consadm:default
/usr/sbin/svcadm disable svc:/system/console-login:default
/usr/sbin/svcadm disable svc:/system/console-login:vt2
/usr/sbin/svcadm disable svc:/system/console-login:vt3
/usr/sbin/svcadm disable svc:/system/console-login:vt4
/usr/sbin/svcadm disable svc:/system/console-login:vt5
/usr/sbin/svcadm disable svc:/system/console-login:vt6
/usr/sbin/svcadm disable svc:/system/coreadm:default
/usr/sbin/svcadm disable svc:/system/device/allocate:default
/usr/sbin/svcadm disable svc:/system/device/audio:default
/usr/sbin/svcadm disable svc:/system/device/mpxio-upgrade:default
/usr/sbin/svcadm disable svc:/system/dumpadm:default
/usr/sbin/svcadm disable svc:/system/early-manifest-import:default
/usr/sbin/svcadm disable svc:/system/extended-accounting:flow
/usr/sbin/svcadm disable svc:/system/extended-accounting:net
/usr/sbin/svcadm disable svc:/system/extended-accounting:process
/usr/sbin/svcadm disable svc:/system/extended-accounting:task
/usr/sbin/svcadm disable svc:/system/fcoe_initiator:default
/usr/sbin/svcadm disable svc:/system/fcoe_target:default
/usr/sbin/svcadm disable svc:/system/filesystem/autofs:default
/usr/sbin/svcadm disable svc:/system/filesystem/reparse:default
/usr/sbin/svcadm disable svc:/system/filesystem/rmvolmgr:default
/usr/sbin/svcadm disable svc:/system/filesystem/vscan:icap
/usr/sbin/svcadm disable svc:/system/fm/notify-params:default
/usr/sbin/svcadm disable svc:/system/fm/smtp-notify:default
/usr/sbin/svcadm disable svc:/system/fm/snmp-notify:default
/usr/sbin/svcadm disable svc:/system/fmd:default
/usr/sbin/svcadm disable svc:/system/hal:default
/usr/sbin/svcadm disable svc:/system/hostid:default
/usr/sbin/svcadm disable svc:/system/hotplug:default
/usr/sbin/svcadm disable svc:/system/ibsrp/target:default
/usr/sbin/svcadm disable svc:/system/identity:domain
/usr/sbin/svcadm disable svc:/system/idmap:default
/usr/sbin/svcadm disable svc:/system/intrd:default
/usr/sbin/svcadm disable svc:/system/keymap:default
/usr/sbin/svcadm disable svc:/system/labeld:default
/usr/sbin/svcadm disable svc:/system/logadm-upgrade:default
/usr/sbin/svcadm disable svc:/system/name-service-cache:default
/usr/sbin/svcadm disable svc:/system/ndmpd:default
/usr/sbin/svcadm disable svc:/system/pfexec:default
/usr/sbin/svcadm disable svc:/system/picl:default
/usr/sbin/svcadm disable svc:/system/pkgserv:default
/usr/sbin/svcadm disable svc:/system/pools:default
/usr/sbin/svcadm disable svc:/system/pools/dynamic:default
/usr/sbin/svcadm disable svc:/system/power:default
/usr/sbin/svcadm disable svc:/system/process-security:default
/usr/sbin/svcadm disable svc:/system/rbac:default
/usr/sbin/svcadm disable svc:/system/rcap:default
/usr/sbin/svcadm disable svc:/system/resource-mgmt:default
/usr/sbin/svcadm disable svc:/system/rmtmpfiles:default
/usr/sbin/svcadm disable svc:/system/sac:default
/usr/sbin/svcadm disable svc:/system/sar:default
/usr/sbin/svcadm disable svc:/system/scheduler:default
/usr/sbin/svcadm disable svc:/system/stmf:default
/usr/sbin/svcadm disable svc:/system/stmfproxy:default
/usr/sbin/svcadm disable svc:/system/svc/global:default
/usr/sbin/svcadm disable svc:/system/tsol-zones:default
/usr/sbin/svcadm disable svc:/system/update-man-index:default
/usr/sbin/svcadm disable svc:/system/vtdaemon:default
/usr/sbin/svcadm disable svc:/system/xvm/ipagent:default
/usr/sbin/svcadm disable svc:/system/zones:default
/usr/sbin/svcadm disable svc:/system/zones-monitoring:default
