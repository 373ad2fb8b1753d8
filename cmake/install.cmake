# Installation and packaging (issue 6 "running it as a service").
#   cmake --install build/Release [--prefix /usr]   (default prefix: /usr)
# lays out:
#   /usr/sbin/stmfd, /usr/sbin/stmfadm, sbdadm and itadm (symlinks to stmfadm)
#   /usr/lib/systemd/system/stmfd.service     (Type=notify, reload = SIGHUP)
#   /etc/stmfd/stmfd.json                     (config/default.json, dataDir /var/lib/stmfd)
#   /var/lib/stmfd                            (LU files, reservations)
#   /usr/share/man/man8/{stmfd,stmfadm,sbdadm,itadm}.8
#   /usr/share/doc/stmfd/                     (README, config keys, examples)
# and `cpack -G DEB` (in the build directory) builds stmfd_<version>_<arch>.deb
# with its dependencies taken from the binaries (dpkg-shlibdeps).
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Installation prefix" FORCE)
endif()
include(GNUInstallDirs)

set(STMFD_CONFIG_FILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/stmfd/stmfd.json)
set(STMFD_STATE_DIR ${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/stmfd)

install(TARGETS stmfd stmfadm RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
# The symlinks the build made next to stmfadm (actors/CMakeLists.txt).
install(FILES $<TARGET_FILE_DIR:stmfadm>/sbdadm $<TARGET_FILE_DIR:stmfadm>/itadm
        DESTINATION ${CMAKE_INSTALL_SBINDIR})

configure_file(${PROJECT_SOURCE_DIR}/packaging/systemd/stmfd.service.in
               ${PROJECT_BINARY_DIR}/packaging/stmfd.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/stmfd.service DESTINATION lib/systemd/system)

# The installed config: config/default.json with dataDir the state directory.
file(READ ${PROJECT_SOURCE_DIR}/config/default.json STMFD_DEFAULT_CONFIG)
string(REGEX REPLACE "\"dataDir\": *\"[^\"]*\"" "\"dataDir\": \"${STMFD_STATE_DIR}\"" STMFD_INSTALLED_CONFIG
       "${STMFD_DEFAULT_CONFIG}")
file(WRITE ${PROJECT_BINARY_DIR}/packaging/stmfd.json "${STMFD_INSTALLED_CONFIG}")
install(FILES ${PROJECT_BINARY_DIR}/packaging/stmfd.json DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/stmfd
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(DIRECTORY DESTINATION ${STMFD_STATE_DIR}
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)

install(FILES ${PROJECT_SOURCE_DIR}/docs/man/stmfd.8 ${PROJECT_SOURCE_DIR}/docs/man/stmfadm.8
              ${PROJECT_SOURCE_DIR}/docs/man/sbdadm.8 ${PROJECT_SOURCE_DIR}/docs/man/itadm.8
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/config/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME config.md)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/config/examples DESTINATION ${CMAKE_INSTALL_DOCDIR})

# --- the Debian package (cpack -G DEB) ---------------------------------------
set(CPACK_PACKAGE_NAME stmfd)
set(CPACK_PACKAGE_VENDOR "stmfd project")
set(CPACK_PACKAGE_CONTACT "stmfd maintainers <stmfd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "userspace SCSI target (COMSTAR-style) serving disks and tapes over iSCSI")
set(CPACK_PACKAGE_DESCRIPTION "stmfd turns a Linux host into a storage array: file, block device and RAM disks\n and tape drives served over iSCSI (RFC 7143), managed live with stmfadm,\n sbdadm and itadm (COMSTAR's verbs).")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies from the binaries (dpkg-shlibdeps: libcaf-core0.17,
# libcapnp-0.9.2, liburing2, libsystemd0, ...), plus what the unit needs.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libiscsi-bin, open-iscsi")
# /etc/stmfd/stmfd.json is a conffile (an upgrade keeps the operator's and
# stmfadm's changes); the maintainer scripts enable, start, stop the service.
file(WRITE ${PROJECT_BINARY_DIR}/packaging/conffiles "${STMFD_CONFIG_FILE}\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
    ${PROJECT_SOURCE_DIR}/packaging/deb/prerm ${PROJECT_SOURCE_DIR}/packaging/deb/postrm
    ${PROJECT_BINARY_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
