#!/bin/sh
# Trimmed SMF configuration written by smf-minimize for: svc:/network/http:nginx
# For a zone that has already booted: run it inside the zone as root.
# Enables the 19 instances of the closure, then disables the others.
# svc:/system/svc/restarter:default is svc.startd itself and is left alone.
set -e
/usr/sbin/svcadm enable svc:/milestone/devices:default    # require_all group 'milestone-devices' of svc:/milestone/single-user:default (dependency, manifests/lib/svc/manifest/milestone/single-user.xml:22)
/usr/sbin/svcadm enable svc:/milestone/name-services:default    # require_all group 'name-services' of svc:/network/http:nginx (dependency, manifests/lib/svc/manifest/network/http-nginx.xml:26)
/usr/sbin/svcadm enable svc:/milestone/network:default    # require_all group 'network' of svc:/network/http:nginx (dependency, manifests/lib/svc/manifest/network/http-nginx.xml:20)
/usr/sbin/svcadm enable svc:/milestone/single-user:default    # require_all group 'single-user' of svc:/system/filesystem/local:default (dependency, manifests/lib/svc/manifest/system/filesystem/local-fs.xml:16)
/usr/sbin/svcadm enable svc:/network/datalink-management:default    # require_all group 'dlmgmt-network-physical' of svc:/network/physical:default (dependent declared by svc:/network/datalink-management, manifests/lib/svc/manifest/network/dlmgmt.xml:19)
/usr/sbin/svcadm enable svc:/network/http:nginx    # requested
/usr/sbin/svcadm enable svc:/network/ip-interface-management:default    # require_all group 'ipmgmt-loopback' of svc:/network/loopback:default (dependent declared by svc:/network/ip-interface-management, manifests/lib/svc/manifest/network/network-ipmgmt.xml:15)
/usr/sbin/svcadm enable svc:/network/loopback:default    # require_all group 'loopback' of svc:/milestone/network:default (dependency, manifests/lib/svc/manifest/milestone/network.xml:17)
/usr/sbin/svcadm enable svc:/network/physical:default    # require_all group 'physical' of svc:/milestone/network:default (dependency, manifests/lib/svc/manifest/milestone/network.xml:20)
/usr/sbin/svcadm enable svc:/system/boot-archive:default    # require_all group 'boot-archive' of svc:/system/filesystem/usr:default (dependency, manifests/lib/svc/manifest/system/filesystem/usr-fs.xml:15)
/usr/sbin/svcadm enable svc:/system/device/local:default    # require_all group 'devices' of svc:/system/filesystem/minimal:default (dependency, manifests/lib/svc/manifest/system/filesystem/minimal-fs.xml:18)
/usr/sbin/svcadm enable svc:/system/filesystem/local:default    # require_all group 'filesystem-local' of svc:/network/http:nginx (dependency, manifests/lib/svc/manifest/network/http-nginx.xml:23)
/usr/sbin/svcadm enable svc:/system/filesystem/minimal:default    # require_all group 'filesystem-minimal' of svc:/milestone/single-user:default (dependency, manifests/lib/svc/manifest/milestone/single-user.xml:19)
/usr/sbin/svcadm enable svc:/system/filesystem/root:default    # require_all group 'root' of svc:/system/boot-archive:default (dependency, manifests/lib/svc/manifest/system/boot-archive.xml:15)
/usr/sbin/svcadm enable svc:/system/filesystem/usr:default    # require_all group 'usr' of svc:/system/filesystem/minimal:default (dependency, manifests/lib/svc/manifest/system/filesystem/minimal-fs.xml:15)
/usr/sbin/svcadm enable svc:/system/identity:node    # require_all group 'nodename' of svc:/milestone/single-user:default (dependency, manifests/lib/svc/manifest/milestone/single-user.xml:16)
/usr/sbin/svcadm enable svc:/system/manifest-import:default    # require_all group 'manifests' of svc:/milestone/single-user:default (dependency, manifests/lib/svc/manifest/milestone/single-user.xml:25)
/usr/sbin/svcadm enable svc:/system/sysevent:default    # require_all group 'syseventd_single-user' of svc:/milestone/single-user:default (dependent declared by svc:/system/sysevent, manifests/lib/svc/manifest/system/sysevent.xml:20)
/usr/sbin/svcadm disable svc:/application/backup/nightly:default
/usr/sbin/svcadm disable svc:/application/database/postgresql_16:default
/usr/sbin/svcadm disable svc:/milestone/multi-user:default
/usr/sbin/svcadm disable svc:/milestone/multi-user-server:default
/usr/sbin/svcadm disable svc:/milestone/sysconfig:default
/usr/sbin/svcadm disable svc:/network/dns/client:default
/usr/sbin/svcadm disable svc:/network/finger:default
/usr/sbin/svcadm disable svc:/network/inetd:default
/usr/sbin/svcadm disable svc:/network/inetd-upgrade:default
/usr/sbin/svcadm disable svc:/network/initial:default
/usr/sbin/svcadm disable svc:/network/ldap/client:default
/usr/sbin/svcadm disable svc:/network/login:eklogin
/usr/sbin/svcadm disable svc:/network/login:klogin
/usr/sbin/svcadm disable svc:/network/login:rlogin
/usr/sbin/svcadm disable svc:/network/netcfg:default
/usr/sbin/svcadm disable svc:/network/netmask:default
/usr/sbin/svcadm disable svc:/network/nfs/cbd:default
/usr/sbin/svcadm disable svc:/network/nfs/client:default
/usr/sbin/svcadm disable svc:/network/nfs/mapid:default
/usr/sbin/svcadm disable svc:/network/nfs/nlockmgr:default
/usr/sbin/svcadm disable svc:/network/nfs/server:default
/usr/sbin/svcadm disable svc:/network/nfs/status:default
/usr/sbin/svcadm disable svc:/network/nis/client:default
/usr/sbin/svcadm disable svc:/network/ntp:default
/usr/sbin/svcadm disable svc:/network/physical:nwam
/usr/sbin/svcadm disable svc:/network/routing-setup:default
/usr/sbin/svcadm disable svc:/network/rpc/bind:default
/usr/sbin/svcadm disable svc:/network/rpc/gss:default
/usr/sbin/svcadm disable svc:/network/rpc/keyserv:default
/usr/sbin/svcadm disable svc:/network/rpc/rstat:default
/usr/sbin/svcadm disable svc:/network/rpc/rusers:default
/usr/sbin/svcadm disable svc:/network/service:default
/usr/sbin/svcadm disable svc:/network/shares/group:default
/usr/sbin/svcadm disable svc:/network/shell:default
/usr/sbin/svcadm disable svc:/network/shell:kshell
/usr/sbin/svcadm disable svc:/network/smtp:sendmail
/usr/sbin/svcadm disable svc:/network/ssh:default
/usr/sbin/svcadm disable svc:/network/telnet:default
/usr/sbin/svcadm disable svc:/system/auditd:default
/usr/sbin/svcadm disable svc:/system/console-login:default
/usr/sbin/svcadm disable svc:/system/coreadm:default
/usr/sbin/svcadm disable svc:/system/cron:default
/usr/sbin/svcadm disable svc:/system/cryptosvc:default
/usr/sbin/svcadm disable svc:/system/early-manifest-import:default
/usr/sbin/svcadm disable svc:/system/extended-accounting:flow
/usr/sbin/svcadm disable svc:/system/extended-accounting:net
/usr/sbin/svcadm disable svc:/system/extended-accounting:process
/usr/sbin/svcadm disable svc:/system/extended-accounting:task
/usr/sbin/svcadm disable svc:/system/filesystem/autofs:default
/usr/sbin/svcadm disable svc:/system/filesystem/reparse:default
/usr/sbin/svcadm disable svc:/system/fmd:default
/usr/sbin/svcadm disable svc:/system/hostid:default
/usr/sbin/svcadm disable svc:/system/hotplug:default
/usr/sbin/svcadm disable svc:/system/identity:domain
/usr/sbin/svcadm disable svc:/system/idmap:default
/usr/sbin/svcadm disable svc:/system/keymap:default
/usr/sbin/svcadm disable svc:/system/logadm-upgrade:default
/usr/sbin/svcadm disable svc:/system/name-service-cache:default
/usr/sbin/svcadm disable svc:/system/pools:default
/usr/sbin/svcadm disable svc:/system/rbac:default
/usr/sbin/svcadm disable svc:/system/rcap:default
/usr/sbin/svcadm disable svc:/system/rmtmpfiles:default
/usr/sbin/svcadm disable svc:/system/system-log:default
/usr/sbin/svcadm disable svc:/system/utmp:default
