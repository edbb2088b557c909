#!/bin/sh
# Trimmed SMF configuration written by smf-minimize for: svc:/site/app:default
# For a zone that has already booted: run it inside the zone as root.
# Enables the 8 instances of the closure, then disables the others.
# svc:/system/svc/restarter:default is svc.startd itself and is left alone.
set -e
/usr/sbin/svcadm enable svc:/network/datalink-management:default    # required by svc:/network/ip-interface-management:default (require_all group 'dl')
/usr/sbin/svcadm enable svc:/network/ip-interface-management:default    # required by svc:/network/loopback:default (require_all group 'ipmgmt')
/usr/sbin/svcadm enable svc:/network/loopback:default    # required by svc:/network/physical:default (require_all group 'loopback')
/usr/sbin/svcadm enable svc:/network/physical:default    # required by svc:/site/app:default (require_all group 'net' -- restart_on error <&>)
/usr/sbin/svcadm enable svc:/site/app:default    # requested
/usr/sbin/svcadm enable svc:/system/filesystem/local:default    # required by svc:/site/app:default (require_all group 'fs', dependency at site.xml:7)
/usr/sbin/svcadm enable svc:/system/filesystem/minimal:default    # required by svc:/system/filesystem/local:default (require_all group 'minimal', dependency at system.xml:32)
/usr/sbin/svcadm disable svc:/milestone/multi-user:default
/usr/sbin/svcadm disable svc:/network/physical:nwam
/usr/sbin/svcadm disable svc:/site/badtoken:default
/usr/sbin/svcadm disable svc:/site/bin:default
/usr/sbin/svcadm disable svc:/site/halclient:default
/usr/sbin/svcadm disable svc:/site/killer:default
/usr/sbin/svcadm disable svc:/site/nomethod:default
/usr/sbin/svcadm disable svc:/site/nop:default
/usr/sbin/svcadm disable svc:/site/noprop:default
/usr/sbin/svcadm disable svc:/site/privs:default
/usr/sbin/svcadm disable svc:/site/rbac:default
/usr/sbin/svcadm disable svc:/site/solo:default
/usr/sbin/svcadm disable svc:/site/sourcer:default
/usr/sbin/svcadm disable svc:/site/tokens:one
/usr/sbin/svcadm disable svc:/site/web:default
/usr/sbin/svcadm disable svc:/system/cron:default
/usr/sbin/svcadm disable svc:/system/hal:default
/usr/sbin/svcadm disable svc:/system/identity:domain
/usr/sbin/svcadm disable svc:/system/identity:node
/usr/sbin/svcadm disable svc:/system/system-log:default
