#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU and its <libxml/encoding.h> pulls the
   system ICU headers, which clash with Foundation's _FoundationICU module on a
   clean build. We never touch the ICU members of xmlCharEncodingHandler. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/valid.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>

/* xmlFree is a global function pointer in Debian's build; Swift 6 refuses to
   touch shared mutable state, so free through this wrapper. */
static inline void clibxml2_free(void *p) { xmlFree(p); }
#endif
