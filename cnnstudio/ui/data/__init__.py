"""The Data page: import, gallery, labelling, classes, splits and the health panel."""
