"""Every source delivered as whole files, one folder each under assets/: what the definitions load
and what the landing sensor watches."""

from assets.force_operations import assets as force_operations
from assets.homeoffice_prc import assets as homeoffice_prc
from assets.lib.file_sources import FileSource
from assets.nhs_hes import assets as nhs_hes
from assets.ons_pfa import assets as ons_pfa
from assets.ons_population import assets as ons_population
from assets.operations import assets as operations
from assets.partners import assets as partners
from assets.policeuk import assets as policeuk
from assets.use_of_force import assets as use_of_force

SOURCE_FOLDERS = (ons_pfa, ons_population, homeoffice_prc, nhs_hes, policeuk, force_operations, use_of_force, partners,
                  operations)
FILE_SOURCES: tuple[FileSource, ...] = tuple(source for folder in SOURCE_FOLDERS for source in folder.SOURCES)
file_source_assets = [a for folder in SOURCE_FOLDERS for a in folder.source_assets]
