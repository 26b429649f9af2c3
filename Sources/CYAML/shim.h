#ifndef OCITOOL_CYAML_SHIM_H
#define OCITOOL_CYAML_SHIM_H
#include <yaml.h>
#endif
